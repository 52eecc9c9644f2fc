/**
 * lab corruptions: a model measured on corrupted test images (Hendrycks & Dietterich 2019; MNIST-C),
 * every corruption × severity, with the mCE against a baseline model when one is given.
 */
import type { Command } from '../command'
import type { RunSummary } from '../../api/runs'
import { UsageError } from '../args'
import { CORRUPTION_IDS } from '../../api/corruption-names'
import { call, integer, report, runIdArg } from './attack'

function list(options: Record<string, string | boolean>, name: string): string[] | undefined {
  const raw = options[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new UsageError(`Option --${name} takes a comma-separated list (got ${String(raw)}).`)
  return raw.split(',').map((s) => s.trim())
}

export const corruptionsCommand: Command = {
  words: ['corruptions'],
  usage:
    'lab corruptions <run> [--baseline <run>] [--corruptions fog,jpeg,…] [--severities 1,3,5] [--n 1000] [--seed s] [--name …] [--project <id>] [--json]',
  summary: `Accuracy on corrupted test images per corruption × severity (${CORRUPTION_IDS.join(', ')}; severities 1–5), their mean, and the mCE against --baseline.`,
  options: { values: ['baseline', 'corruptions', 'severities', 'n', 'seed', 'name', 'project'] },
  async run({ positionals, options }, ctx) {
    const runId = runIdArg(positionals, 'model run to measure')
    const baselineRunId = integer(options, 'baseline')
    const corruptions = list(options, 'corruptions')
    const severities = list(options, 'severities')?.map((s) => {
      const v = Number(s)
      if (!Number.isInteger(v)) throw new UsageError(`--severities takes whole numbers from 1 to 5 (got ${s}).`)
      return v
    })
    const run = await call<RunSummary>(ctx, 'corruptions.start', {
      runId,
      ...(baselineRunId !== undefined ? { baselineRunId } : {}),
      ...(corruptions ? { corruptions } : {}),
      ...(severities ? { severities } : {}),
      ...(integer(options, 'n') !== undefined ? { n: integer(options, 'n') } : {}),
      ...(integer(options, 'seed') !== undefined ? { seed: integer(options, 'seed') } : {}),
      ...(integer(options, 'project') !== undefined ? { projectId: integer(options, 'project') } : {}),
      ...(typeof options.name === 'string' ? { name: options.name } : {})
    })
    return report(ctx, run, baselineRunId !== undefined ? [runId, baselineRunId] : [runId])
  }
}
