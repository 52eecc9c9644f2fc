import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import type { TrainConfig } from '../../api/train'
import { getRun } from '../store/runs'
import { datasetIdNamed, startRun } from '../jobs/start-run'
import { estimateTraining } from '../train/estimate'

export const trainingHandlers: Handlers<'train.start' | 'distill.start' | 'train.estimate'> = {
  'train.estimate': (config, ctx) => estimateTraining(ctx, config),
  'train.start': async (config, ctx) => {
    const datasetId = await datasetIdNamed(ctx, config.dataset)
    return startRun(ctx, {
      order: { kind: 'train', config },
      datasetId,
      seed: config.seed,
      name: config.name ?? defaultTrainName(config),
      projectId: config.projectId
    })
  },
  'distill.start': async (config, ctx) => {
    if (config.teacherRunId !== undefined) {
      const teacher = getRun(ctx.db, config.teacherRunId)
      if (teacher.kind !== 'train' || teacher.status !== 'completed')
        throw new LabError(
          'bad_input',
          `Run ${teacher.id} cannot be a teacher: it is a ${teacher.status} ${teacher.kind} run; pick a completed training run.`,
          'teacherRunId'
        )
    }
    const name = config.name ?? `Distilled ${config.student.model.arch} (T=${config.temperature}, α=${config.alpha})`
    const datasetId = await datasetIdNamed(ctx, config.student.dataset)
    return startRun(ctx, { order: { kind: 'distill', config }, datasetId, seed: config.student.seed, name, projectId: config.projectId })
  }
}

function defaultTrainName(config: TrainConfig): string {
  return `${config.model.arch}${config.model.width !== 1 ? `×${config.model.width}` : ''} on ${config.dataset}${config.temperature !== 1 ? ` (T=${config.temperature})` : ''}`
}
