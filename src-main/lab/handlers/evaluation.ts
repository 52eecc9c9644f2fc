/**
 * Handlers of attacks, full evaluations, sweeps and the evaluation queries.
 * An attack / eval / sweep is a run of its own (kind 'attack' | 'eval' | 'sweep') whose config lists
 * the model runs it measures in `targetRunIds`; its results are written against those model runs.
 */
import type { Handlers } from './handler'
import type { LabContext } from '../context'
import { LabError } from '../../api/errors'
import type { JobOrderOf } from '../../api/run-configs'
import { completedRunsWithConfigHash, getRun } from '../store/runs'
import { startRun } from '../jobs/start-run'
import { requireModelRun } from '../store/model-runs'
import {
  hasEvalResult,
  latestVerdict,
  latestVerdicts,
  listEvaluations,
  listSampleOutcomes,
  listScores,
  summariseRepeats
} from '../store/evaluations'
import { requireTestImages } from '../store/datasets'
import { checkAttackAt, clampSamples, targetImages } from '../eval/request-checks'
import { requireEpsilon } from '../../api/epsilon-range'
import { formatEpsilon } from '../../api/epsilon'

/** `warnings` (e.g. a sample count clamped to the test split) are stored with the new run. */
function start(
  ctx: LabContext,
  order: JobOrderOf<'attack'> | JobOrderOf<'eval'> | JobOrderOf<'sweep'>,
  datasetId: number | null,
  seed: number,
  name: string,
  projectId: number | undefined,
  warnings: string[] = []
) {
  requireTestImages(ctx.db, datasetId, order.kind === 'sweep' ? 'runIds' : 'runId')
  return startRun(ctx, { order, datasetId, seed, name, projectId, warnings })
}

export const evaluationHandlers: Handlers<
  | 'attack.start'
  | 'eval.start'
  | 'sweep.start'
  | 'evaluations.list'
  | 'evaluations.samples'
  | 'evaluations.verdicts'
  | 'evaluations.repeats'
> = {
  'attack.start': (params, ctx) => {
    const target = requireModelRun(ctx.db, params.runId, 'runId')
    if (params.surrogateRunId !== undefined) requireModelRun(ctx.db, params.surrogateRunId, 'surrogateRunId')
    const epsilon = params.epsilon as number
    const images = targetImages(ctx.db, target.datasetId)
    checkAttackAt(params, params.norm, [{ value: epsilon, field: 'epsilon' }], images, 'attack')
    const warnings: string[] = []
    const n = clampSamples(params.n, images, warnings)
    const name =
      params.name ??
      `${params.surrogateRunId !== undefined ? 'transfer ' : ''}${params.attack} ${params.norm} ε=${formatEpsilon(epsilon)} on ${target.name}`
    return start(
      ctx,
      { kind: 'attack', config: { ...params, epsilon, n, targetRunIds: [params.runId] } },
      target.datasetId,
      params.seed,
      name,
      params.projectId,
      warnings
    )
  },
  'eval.start': (params, ctx) => {
    const target = requireModelRun(ctx.db, params.runId, 'runId')
    if (params.surrogateRunId !== undefined) requireModelRun(ctx.db, params.surrogateRunId, 'surrogateRunId')
    const images = targetImages(ctx.db, target.datasetId)
    if (params.epsilon !== undefined) requireEpsilon(params.epsilon as number, params.norm, images?.shape, 'epsilon')
    ;((params.epsilons ?? []) as number[]).forEach((e, i) => requireEpsilon(e, params.norm, images?.shape, `epsilons.${i}`))
    const warnings: string[] = []
    const n = params.n === undefined ? undefined : clampSamples(params.n, images, warnings)
    const name = params.name ?? `Full evaluation (${params.budget}) of ${target.name}`
    return start(
      ctx,
      { kind: 'eval', config: { ...params, ...(n === undefined ? {} : { n }), targetRunIds: [params.runId] } },
      target.datasetId,
      params.seed,
      name,
      params.projectId,
      warnings
    )
  },
  'sweep.start': (params, ctx) => {
    const targets = params.runIds.map((id, i) => requireModelRun(ctx.db, id, `runIds.${i}`))
    const datasets = new Set(targets.map((t) => t.datasetId))
    if (datasets.size > 1)
      throw new LabError(
        'bad_input',
        `The runs of a sweep must share one dataset; runs ${params.runIds.join(', ')} use ${datasets.size} different ones. Start one sweep per dataset.`,
        'runIds'
      )
    const images = targetImages(ctx.db, targets[0].datasetId)
    const epsilons = (params.epsilons as number[]).map((value, i) => ({ value, field: `epsilons.${i}` }))
    params.attacks.forEach((a, i) => checkAttackAt(a, params.norm, epsilons, images, `attacks.${i}.attack`))
    const warnings: string[] = []
    const n = clampSamples(params.n, images, warnings)
    const name =
      params.name ??
      `Sweep: ${targets.length} model${targets.length > 1 ? 's' : ''} × ${params.attacks.map((a) => a.attack).join(', ')} × ${params.epsilons.length} ε`
    return start(
      ctx,
      { kind: 'sweep', config: { ...params, n, targetRunIds: params.runIds } },
      targets[0].datasetId,
      params.seed,
      name,
      params.projectId,
      warnings
    )
  },
  'evaluations.list': ({ runId }, { db }) => {
    getRun(db, runId)
    return { rows: listEvaluations(db, runId), verdict: latestVerdict(db, runId), scores: listScores(db, runId) }
  },
  'evaluations.samples': ({ resultId }, { db }) => {
    if (!hasEvalResult(db, resultId)) throw new LabError('not_found', `There is no evaluation result with id ${resultId}.`, 'resultId')
    return listSampleOutcomes(db, resultId)
  },
  'evaluations.verdicts': ({ runIds }, { db }) => latestVerdicts(db, runIds),
  'evaluations.repeats': (params, { db }) => {
    const runIds = 'runIds' in params ? params.runIds : completedRunsWithConfigHash(db, params.configHash)
    if (runIds.length === 0)
      throw new LabError('not_found', `No completed run has config hash ${(params as { configHash: string }).configHash}.`, 'configHash')
    return summariseRepeats(db, runIds)
  }
}
