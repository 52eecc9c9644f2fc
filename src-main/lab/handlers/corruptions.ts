/**
 * corruptions.start: a corruption evaluation is a run of its own (kind 'corruptions') whose config
 * lists the measured model run, then the mCE baseline, in `targetRunIds`; its results are written
 * against those model runs (lab/corruptions/job.ts).
 */
import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import { startRun } from '../jobs/start-run'
import { requireModelRun } from '../store/model-runs'
import { requireTestImages } from '../store/datasets'
import { clampSamples, targetImages } from '../eval/request-checks'

export const corruptionHandlers: Handlers<'corruptions.start'> = {
  'corruptions.start': (params, ctx) => {
    const target = requireModelRun(ctx.db, params.runId, 'runId')
    const baseline = params.baselineRunId === undefined ? null : requireModelRun(ctx.db, params.baselineRunId, 'baselineRunId')
    if (baseline && baseline.id === target.id)
      throw new LabError(
        'bad_input',
        `baselineRunId ${baseline.id} is the run being measured; the mCE baseline must be another model run (its mCE against itself is 100% by definition).`,
        'baselineRunId'
      )
    if (baseline && baseline.datasetId !== target.datasetId)
      throw new LabError(
        'bad_input',
        `baselineRunId ${baseline.id} ("${baseline.name}") was trained on another dataset than run ${target.id} ("${target.name}"); the mCE compares two models on the same corrupted images.`,
        'baselineRunId'
      )
    requireTestImages(ctx.db, target.datasetId, 'runId')
    const images = targetImages(ctx.db, target.datasetId)
    const warnings: string[] = []
    const n = clampSamples(params.n, images, warnings)
    const name = params.name ?? `Corruptions of ${target.name}${baseline ? ` (mCE against ${baseline.name})` : ''}`
    const targetRunIds = baseline ? [target.id, baseline.id] : [target.id]
    return startRun(ctx, {
      order: { kind: 'corruptions', config: { ...params, n, targetRunIds } },
      datasetId: target.datasetId,
      seed: params.seed,
      name,
      projectId: params.projectId,
      warnings
    })
  }
}
