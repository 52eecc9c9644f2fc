import type { ApiClient } from '../api/client'
import type { OptionSpec, ParsedArgs } from './args'

export interface CliContext {
  api: ApiClient
  /** True when --json was given: print exactly one JSON document on stdout, nothing else. */
  json: boolean
  out: (text: string) => void
  err: (text: string) => void
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  interactive: boolean
}

export interface Command {
  /** The words that select it, e.g. ['dataset', 'add']. */
  words: readonly string[]
  usage: string
  summary: string
  options?: OptionSpec
  /** Returns the process exit code. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>
}
