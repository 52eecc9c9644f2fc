import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { UsageError } from './args'

/**
 * How deep a config may nest. Real configs are 3–4 levels deep (train → model → arch); a file
 * nested deeper is damaged or hostile, and parsing it recursively would overflow the stack.
 */
export const MAX_CONFIG_DEPTH = 32

/**
 * A config file that cannot be used. A UsageError (the CLI prints it with the usage line and exits
 * 2) that also carries the contract's error code and the file, for callers that report errors in
 * the contract's shape.
 */
export class ConfigFileError extends UsageError {
  readonly code = 'bad_input' as const
  constructor(
    readonly file: string,
    message: string
  ) {
    super(message)
    this.name = 'ConfigFileError'
  }
}

/** Reads a JSON or YAML experiment config; errors name the file and, for YAML, the line. */
export function readConfigFile(file: string): Record<string, unknown> {
  try {
    return readConfig(file)
  } catch (error) {
    if (error instanceof UsageError && !(error instanceof ConfigFileError)) throw new ConfigFileError(file, error.message)
    throw error
  }
}

function readConfig(file: string): Record<string, unknown> {
  let text: string
  try {
    // A named pipe would block the read forever, a device never end.
    const stats = fs.statSync(file)
    if (!stats.isFile() && !stats.isDirectory())
      throw new UsageError(`The config file ${file} is not a regular file (it is a named pipe, socket or device).`)
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      code === 'ENOENT' ? `The config file ${file} does not exist.` : `The config file ${file} cannot be read (${code}).`
    )
  }
  // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the config.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const isJson = path.extname(file).toLowerCase() === '.json'
  const tooDeep = (line: number) =>
    new UsageError(
      `The config file ${file} is nested deeper than ${MAX_CONFIG_DEPTH} levels (at line ${line}). AdvLab configs are a few levels deep; check the file.`
    )
  // Checked before parsing: the parsers recurse once per level and would overflow first.
  const deepLine = isJson ? deepJsonLine(text) : deepYamlLine(text)
  if (deepLine !== null) throw tooDeep(deepLine)
  let value: unknown
  try {
    value = isJson ? JSON.parse(text) : YAML.parse(text)
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(1)
    throw new UsageError(`The config file ${file} is not valid ${isJson ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`The config file ${file} is not valid ${isJson ? 'JSON' : 'YAML'}: the top level must be an object of settings`)
  const shape = checkShape(value)
  if (shape === 'cycle')
    throw new UsageError(`The config file ${file} refers to itself (a YAML alias inside its own anchor); write the values out instead.`)
  if (shape === 'deep') throw tooDeep(1)
  return value as Record<string, unknown>
}

/** The line where JSON brackets nest deeper than the limit, or null. Brackets inside strings do not count. */
function deepJsonLine(text: string): number | null {
  let depth = 0
  let line = 1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') line++
    else if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return line
    } else if (c === ']' || c === '}') depth--
  }
  return null
}

/**
 * The line where YAML nests deeper than the limit, or null: block nesting is counted from the
 * indentation of each line (and its "- " item markers), flow nesting from brackets outside quotes
 * and comments. An estimate on the safe side for the odd bracket in a plain scalar.
 */
function deepYamlLine(text: string): number | null {
  const indents: number[] = []
  const lines = text.split('\n')
  let flow = 0
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]
    const content = raw.trimStart()
    if (flow === 0 && content.length > 0 && !content.startsWith('#')) {
      let indent = raw.length - content.length
      let rest = content
      const levels = (): number => {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop()
        indents.push(indent)
        return indents.length
      }
      if (levels() > MAX_CONFIG_DEPTH) return n + 1
      // "- - - x": each item marker opens one more level on the same line.
      while (/^-(\s|$)/.test(rest)) {
        const after = rest.slice(1).trimStart()
        indent += rest.length - after.length
        rest = after
        if (rest.length > 0 && levels() > MAX_CONFIG_DEPTH) return n + 1
      }
    }
    let quote: string | null = null
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]
      if (quote) {
        if (quote === '"' && c === '\\') i++
        else if (c === quote) quote = null
      } else if (c === '"' || c === "'") quote = c
      else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) break
      else if (c === '[' || c === '{') {
        if (indents.length + flow + 1 > MAX_CONFIG_DEPTH) return n + 1
        flow++
      } else if ((c === ']' || c === '}') && flow > 0) flow--
    }
  }
  return null
}

/** Walks the parsed value without recursion: 'deep' past the limit, 'cycle' for an alias loop. */
function checkShape(root: object): 'ok' | 'deep' | 'cycle' {
  const stack: Array<{ value: object; depth: number; exit?: boolean }> = [{ value: root, depth: 1 }]
  const onPath = new Set<object>()
  while (stack.length > 0) {
    const item = stack.pop()!
    if (item.exit) {
      onPath.delete(item.value)
      continue
    }
    if (onPath.has(item.value)) return 'cycle'
    if (item.depth > MAX_CONFIG_DEPTH) return 'deep'
    onPath.add(item.value)
    stack.push({ ...item, exit: true })
    for (const child of Object.values(item.value))
      if (child && typeof child === 'object') stack.push({ value: child, depth: item.depth + 1 })
  }
  return 'ok'
}
