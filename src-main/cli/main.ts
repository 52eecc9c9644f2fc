/**
 * `lab` — the headless CLI. It speaks the same contract as the app: an in-process lab service
 * behind the same typed client the renderer uses.
 */
import os from 'node:os'
import path from 'node:path'
import { ApiCallError, createApiClient } from '../api/client'
import { LabService } from '../lab/service'
import { inProcessTransport } from '../lab/in-process-transport'
import { parseArgs, UsageError } from './args'
import type { CliContext, Command } from './command'
import { commands } from './commands/index'

export function defaultDataDir(): string {
  return process.env.ADVLAB_DATA_DIR || path.join(os.homedir(), '.advlab')
}

export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(text + '\n')
  const err = (text: string) => process.stderr.write(text + '\n')
  // --data-dir is global: it may stand anywhere.
  const { dataDir, rest } = takeDataDir(argv)
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

function takeDataDir(argv: string[]): { dataDir: string; rest: string[] } {
  const rest: string[] = []
  let dataDir = defaultDataDir()
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') dataDir = argv[++i] ?? dataDir
    else if (argv[i].startsWith('--data-dir=')) dataDir = argv[i].slice('--data-dir='.length)
    else rest.push(argv[i])
  }
  return { dataDir: path.resolve(dataDir), rest }
}

/** The command whose words match the longest prefix of the arguments. */
function findCommand(argv: string[]): Command | undefined {
  return [...commands]
    .sort((a, b) => b.words.length - a.words.length)
    .find((c) => c.words.every((word, i) => argv[i] === word))
}

function helpText(): string {
  const lines = commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`)
  return ['usage: lab <command> [options] [--data-dir DIR]', '', 'commands:', ...lines].join('\n')
}
