/**
 * Command-line arguments, split by Node's own `util.parseArgs` and then checked strictly here:
 * `--flag`, `--key value`, `--key=value`, positionals, and `--` before positionals that start with
 * a dash. Unknown options are errors (a typo must never silently change an experiment), and every
 * refusal names the option and says what to write instead.
 */
import { parseArgs as splitArgs } from 'node:util'

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

/** Every command takes these. */
const COMMON_FLAGS = ['json', 'help']

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const values = new Set(spec.values ?? [])
  const flags = new Set([...(spec.flags ?? []), ...COMMON_FLAGS])
  // Non-strict: Node then reports every token as it reads it, and the checks below can word the
  // refusals for this CLI (Node's own strict messages suggest `--eps=-XYZ` and the like).
  const positionals: string[] = []
  const options: Record<string, string | boolean> = {}
  for (const token of tokensOf(argv, values)) {
    if (token.kind === 'positional') positionals.push(token.value)
    if (token.kind !== 'option') continue
    const { name, rawName, value, inlineValue } = token
    if (!rawName.startsWith('--'))
      throw new UsageError(`Unknown option ${rawName}: options are written with two dashes (${knownOptions(values, flags)}).`)
    if (values.has(name)) {
      if (value === undefined || (!inlineValue && value.startsWith('--')))
        throw new UsageError(`Option --${name} needs a value, e.g. --${name} VALUE (or --${name}=VALUE when the value starts with "--").`)
      options[name] = value
    } else if (flags.has(name)) {
      if (value !== undefined) throw new UsageError(`Option --${name} takes no value; write just --${name}.`)
      options[name] = true
    } else {
      throw new UsageError(`Unknown option --${name}; this command takes ${knownOptions(values, flags)}.`)
    }
  }
  return { positionals, options }
}

/**
 * Takes one option that may stand anywhere among the arguments (e.g. the global `--data-dir`):
 * its last value, and the arguments without it. Positionals after `--` are left alone.
 */
export function takeOption(argv: readonly string[], name: string): { value: string | undefined; rest: string[] } {
  let value: string | undefined
  const taken = new Set<number>()
  for (const token of tokensOf(argv, new Set([name]))) {
    if (token.kind !== 'option' || token.name !== name || !token.rawName.startsWith('--')) continue
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
      throw new UsageError(`Option --${name} needs a value, e.g. --${name} DIR.`)
    value = token.value
    taken.add(token.index)
    if (!token.inlineValue) taken.add(token.index + 1)
  }
  return { value, rest: argv.filter((_, i) => !taken.has(i)) }
}

function tokensOf(argv: readonly string[], values: ReadonlySet<string>) {
  const options = Object.fromEntries([...values].map((name) => [name, { type: 'string' as const }]))
  return splitArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens
}

function knownOptions(values: ReadonlySet<string>, flags: ReadonlySet<string>): string {
  return [...[...values].map((v) => `--${v} VALUE`), ...[...flags].map((f) => `--${f}`)].join(', ')
}
