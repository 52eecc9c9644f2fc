/**
 * A small, strict argument parser: `--flag`, `--key value`, `--key=value`, positionals.
 * Unknown options are errors (a typo must never silently change an experiment).
 */
export interface ParsedArgs {
  positionals: string[]
  options: Record<string, string | boolean>
}

export interface OptionSpec {
  /** Options that take a value; all others are boolean flags. */
  values?: readonly string[]
  flags?: readonly string[]
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const values = new Set(spec.values ?? [])
  const flags = new Set([...(spec.flags ?? []), 'json', 'help'])
  const positionals: string[] = []
  const options: Record<string, string | boolean> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const [key, inline] = splitOnce(arg.slice(2), '=')
    if (values.has(key)) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new UsageError(`Option --${key} needs a value.`)
      options[key] = value
    } else if (flags.has(key)) {
      if (inline !== undefined) throw new UsageError(`Option --${key} takes no value.`)
      options[key] = true
    } else {
      throw new UsageError(`Unknown option --${key}.`)
    }
  }
  return { positionals, options }
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}
