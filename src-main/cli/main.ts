/**
 * `lab` — the headless CLI. It speaks the same contract as the app: an in-process lab service
 * behind the same typed client the renderer uses.
 */
import os from 'node:os'
import path from 'node:path'
import { ApiCallError, createApiClient } from '../api/client'
import type { LabService } from '../lab/service'
import { parseArgs, takeOption, UsageError } from './args'
import type { CliContext, Command } from './command'
import { commands } from './commands/index'

export function defaultDataDir(): string {
  return process.env.ADVLAB_DATA_DIR || path.join(os.homedir(), '.advlab')
}

export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(text + '\n')
  const err = (text: string) => process.stderr.write(text + '\n')
  // --data-dir is global: it may stand anywhere.
  let dataDir: string, rest: string[]
  try {
    const taken = takeOption(argv, 'data-dir')
    dataDir = path.resolve(taken.value ?? defaultDataDir())
    rest = taken.rest
  } catch (error) {
    err(`lab: ${(error as Error).message}`)
    return 2
  }
  const command = findCommand(rest)
  if (!command) {
    const asked = rest.filter((a) => !a.startsWith('--')).join(' ')
    if (asked && !rest.includes('--help')) err(`lab: unknown command "${asked}".\n`)
    err(helpText())
    return asked && !rest.includes('--help') ? 2 : 0
  }
  let lab: LabService | undefined
  try {
    const args = parseArgs(rest.slice(command.words.length), command.options ?? {})
    if (args.options.help) {
      out(`${command.usage}\n  ${command.summary}`)
      return 0
    }
    // The service (SQLite, the engine) loads only for a command that runs: `lab --help` and a
    // usage error stay as fast as Node's own start.
    const [{ LabService }, { inProcessTransport }] = await Promise.all([import('../lab/service'), import('../lab/in-process-transport')])
    lab = new LabService({ dataDir })
    const ctx: CliContext = {
      api: createApiClient(inProcessTransport(lab)),
      json: args.options.json === true,
      out,
      err,
      interactive: Boolean(process.stderr.isTTY)
    }
    return await command.run(args, ctx)
  } catch (error) {
    if (error instanceof UsageError) {
      err(`lab: ${error.message}\nusage: ${command.usage}`)
      return 2
    }
    if (error instanceof ApiCallError) {
      if (rest.includes('--json')) out(JSON.stringify({ error: error.error }, null, 2))
      err(`lab: ${error.message}`)
      return 1
    }
    err(`lab: ${(error as Error)?.message ?? String(error)}`)
    return 1
  } finally {
    await lab?.close()
  }
}

/** The command whose words match the longest prefix of the arguments. */
function findCommand(argv: string[]): Command | undefined {
  return [...commands].sort((a, b) => b.words.length - a.words.length).find((c) => c.words.every((word, i) => argv[i] === word))
}

function helpText(): string {
  const lines = commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`)
  return ['usage: lab <command> [options] [--data-dir DIR]', '', 'commands:', ...lines].join('\n')
}
