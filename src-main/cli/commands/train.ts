import type { Command, CliContext } from '../command'
import type { RunSummary } from '../../api/runs'
import { UsageError } from '../args'
import { readConfigFile } from '../config-file'
import { waitForRun } from '../wait-for-run'
import { METRICS } from '../../api/metrics'

async function followAndReport(run: RunSummary, ctx: CliContext): Promise<number> {
  if (!ctx.json) ctx.err(`Run ${run.id} "${run.name}" queued.`)
  const final = await waitForRun(ctx.api, run.id, { interactive: ctx.interactive, err: ctx.err, quiet: ctx.json })
  const metrics = await ctx.api.request('runs.metrics', { id: run.id, names: [METRICS.testAccuracy, METRICS.trainAccuracy] })
  const last = (name: string) => metrics.find((m) => m.name === name)?.values.at(-1) ?? null
  const summary = { run: final, testAccuracy: last(METRICS.testAccuracy), trainAccuracy: last(METRICS.trainAccuracy) }
  if (ctx.json) ctx.out(JSON.stringify(summary, null, 2))
  else {
    ctx.out(`Run ${final.id} ${final.status}${final.error ? `: ${final.error}` : ''}.`)
    if (summary.testAccuracy !== null) ctx.out(`  test accuracy  ${(summary.testAccuracy * 100).toFixed(2)}%`)
    if (summary.trainAccuracy !== null) ctx.out(`  train accuracy ${(summary.trainAccuracy * 100).toFixed(2)}%`)
  }
  return final.status === 'completed' ? 0 : 1
}

function configArg(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('Give exactly one config file (JSON or YAML).')
  return positionals[0]
}

export const trainCommand: Command = {
  words: ['train'],
  usage: 'lab train <config.json|yaml> [--json]',
  summary: 'Train a model (see docs/configs for the fields); follows the run to its end.',
  async run({ positionals }, ctx) {
    const file = configArg(positionals)
    const response = await ctx.api.call('train.start', readConfigFile(file))
    if (!response.ok) throw new UsageError(`${file}: ${response.error.message}`)
    return followAndReport(response.result as RunSummary, ctx)
  }
}

export const distillCommand: Command = {
  words: ['distill'],
  usage: 'lab distill <config.json|yaml> [--json]',
  summary: 'Defensive distillation: teacher at T, student on its soft labels (T, alpha in the config).',
  async run({ positionals }, ctx) {
    const file = configArg(positionals)
    const response = await ctx.api.call('distill.start', readConfigFile(file))
    if (!response.ok) throw new UsageError(`${file}: ${response.error.message}`)
    return followAndReport(response.result as RunSummary, ctx)
  }
}

export const resumeCommand: Command = {
  words: ['resume'],
  usage: 'lab resume <run-id> [--json]',
  summary: 'Continue an interrupted, failed or cancelled run from its last checkpoint.',
  async run({ positionals }, ctx) {
    const id = Number(positionals[0])
    if (positionals.length !== 1 || !Number.isInteger(id) || id < 1)
      throw new UsageError('Give the id of the run to resume (see lab runs).')
    const run = await ctx.api.request('runs.resume', { id })
    return followAndReport(run, ctx)
  }
}

export const runsCommand: Command = {
  words: ['runs'],
  usage: 'lab runs [--status S] [--json]',
  summary: 'List runs, newest first.',
  options: { values: ['status'] },
  async run({ options }, { api, json, out }) {
    const runs = await api.request('runs.list', options.status ? { status: options.status as never } : {})
    if (json) out(JSON.stringify(runs, null, 2))
    else if (runs.length === 0) out('No runs yet. Start one with: lab train <config>')
    else
      for (const r of runs)
        out(`${String(r.id).padStart(5)}  ${r.status.padEnd(11)} ${r.kind.padEnd(8)} ${r.name}${r.error ? `  (${r.error})` : ''}`)
    return 0
  }
}
