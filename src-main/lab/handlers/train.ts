import type { Handlers } from './handler'
import type { LabContext } from '../context'
import { LabError } from '../../api/errors'
import type { TrainConfig } from '../../api/train'
import type { JobOrderOf } from '../../api/run-configs'
import { createRun, getRun } from '../store/runs'
import { getDatasetRecord } from '../store/datasets'
import { ensureBuiltinDatasets } from '../data/builtins'
import { estimateTraining } from '../train/estimate'

export const trainingHandlers: Handlers<'train.start' | 'distill.start' | 'train.estimate'> = {
  'train.estimate': (config, ctx) => estimateTraining(ctx, config),
  'train.start': async (config, ctx) => {
    const runId = await startRun(ctx, { kind: 'train', config }, config.dataset, config.seed, config.name ?? defaultTrainName(config), config.projectId)
    return { ...getRun(ctx.db, runId), progress: null }
  },
  'distill.start': async (config, ctx) => {
    if (config.teacherRunId !== undefined) {
      const teacher = getRun(ctx.db, config.teacherRunId)
      if (teacher.kind !== 'train' || teacher.status !== 'completed')
        throw new LabError('bad_input', `Run ${teacher.id} cannot be a teacher: it is a ${teacher.status} ${teacher.kind} run; pick a completed training run.`, 'teacherRunId')
    }
    const name = config.name ?? `Distilled ${config.student.model.arch} (T=${config.temperature}, α=${config.alpha})`
    const runId = await startRun(ctx, { kind: 'distill', config }, config.student.dataset, config.student.seed, name, config.projectId)
    return { ...getRun(ctx.db, runId), progress: null }
  }
}

function defaultTrainName(config: TrainConfig): string {
  return `${config.model.arch}${config.model.width !== 1 ? `×${config.model.width}` : ''} on ${config.dataset}${config.temperature !== 1 ? ` (T=${config.temperature})` : ''}`
}

async function startRun(
  ctx: LabContext,
  order: JobOrderOf<'train'> | JobOrderOf<'distill'>,
  datasetName: string,
  seed: number,
  name: string,
  projectId: number | undefined
): Promise<number> {
  // A fresh log learns about the built-in datasets on first use.
  await ensureBuiltinDatasets(ctx)
  const dataset = getDatasetRecord(ctx.db, datasetName)
  if (projectId !== undefined && !ctx.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId))
    throw new LabError('not_found', `There is no project with id ${projectId}.`, 'projectId')
  const runId = createRun(ctx.db, { projectId, datasetId: dataset.id, name, kind: order.kind, config: order.config, seed })
  ctx.events.emit('runs.changed', { id: runId, status: 'queued' })
  void ctx.startJob(runId, order, seed)
  return runId
}
