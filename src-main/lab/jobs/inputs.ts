/**
 * What a job reads from the log, looked up by the main thread before the job starts, so worker
 * threads never open the log themselves.
 */
import path from 'node:path'
import type { LabContext } from '../context'
import type { JobInputs, ModelInput } from './messages'
import { getDatasetRecord } from '../store/datasets'
import { getRun } from '../store/runs'
import { latestWeights } from '../store/artifacts'
import { LabError } from '../../api/errors'
import { isModelRunKind } from '../../api/runs'
import { defenceOfModelRun, readRunConfig, type JobOrder } from '../../api/run-configs'

export function resolveJobInputs(ctx: Pick<LabContext, 'db' | 'dataDir'>, runId: number, order: JobOrder): JobInputs {
  const run = getRun(ctx.db, runId)
  const inputs: JobInputs = {}
  if (run.datasetId !== null) inputs.dataset = getDatasetRecord(ctx.db, run.datasetId)
  const teacherRunId = order.kind === 'distill' ? order.config.teacherRunId : undefined
  if (teacherRunId !== undefined) {
    const teacher = getRun(ctx.db, teacherRunId)
    const weights = latestWeights(ctx.db, teacherRunId)
    if (!weights)
      throw new LabError('bad_input', `Run ${teacherRunId} has no final weights in the log; it cannot be a teacher.`, 'teacherRunId')
    // distill.start accepts only a training run as teacher; its stored config is checked as one.
    if (teacher.kind !== 'train')
      throw new LabError('bad_input', `Run ${teacherRunId} is a ${teacher.kind} run; only a training run can be a teacher.`, 'teacherRunId')
    inputs.teacher = {
      runId: teacherRunId,
      config: readRunConfig('train', teacher.config),
      weightsFile: path.join(ctx.dataDir, weights.path)
    }
  }
  // Attack, eval and sweep runs (lab/eval): the model runs they measure, and a transfer surrogate.
  if (order.kind === 'attack' || order.kind === 'eval' || order.kind === 'sweep' || order.kind === 'corruptions') {
    inputs.targets = order.config.targetRunIds.map((id) => modelInput(ctx, id, 'runId'))
    const surrogateRunId = order.kind === 'sweep' || order.kind === 'corruptions' ? undefined : order.config.surrogateRunId
    if (surrogateRunId !== undefined) inputs.surrogate = modelInput(ctx, surrogateRunId, 'surrogateRunId')
  }
  return inputs
}

function modelInput(ctx: Pick<LabContext, 'db' | 'dataDir'>, runId: number, field: string): ModelInput {
  const run = getRun(ctx.db, runId)
  const weights = latestWeights(ctx.db, runId)
  if (!weights)
    throw new LabError(
      'bad_input',
      `Run ${runId} ("${run.name}", ${run.status}) has no final weights in the log; only a completed training run can be evaluated.`,
      field
    )
  if (!isModelRunKind(run.kind)) throw new LabError('bad_input', `Run ${runId} is a ${run.kind} run, not a model.`, field)
  return { runId, name: run.name, defence: defenceOfModelRun(run.kind, run.config), weightsFile: path.join(ctx.dataDir, weights.path) }
}
