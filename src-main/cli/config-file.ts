import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { UsageError } from './args'

/** Reads a JSON or YAML experiment config; errors name the file and, for YAML, the line. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `The config file ${file} does not exist.` : `The config file ${file} cannot be read (${code}).`)
  }
  const isJson = path.extname(file).toLowerCase() === '.json'
  try {
    const value = isJson ? JSON.parse(text) : YAML.parse(text)
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level must be an object of settings')
    return value as Record<string, unknown>
  } catch (error) {
    throw new UsageError(`The config file ${file} is not valid ${isJson ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
}
