/** Imports a PyTorch state_dict: builds the architecture, loads every tensor, checks clean accuracy. */
import fs from 'node:fs'
import path from 'node:path'
import type { JobContext } from '../jobs/job-context'
import { JobFailure } from '../jobs/job-context'
import { loadDatasetRecord } from '../data/loader'
import { createModel } from '../models/model'
import { readSpec } from '../models/stateDict'
import type { ModelSpec } from '../models/spec'
import { adapt, loadWeights, saveWeights } from './build-model'
import { evaluateClean } from './evaluate'
import { METRICS } from '../../api/metrics'

export async function importJob(ctx: JobContext<'import'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const dataset = ctx.spec.inputs.dataset!
  const bytes = fs.readFileSync(config.file)
  const { shape, classes, mean, std } = dataset.info
  const stored = readSpec(bytes)
  const spec: ModelSpec = stored ?? {
    arch: config.arch!,
    inputShape: [shape.height, shape.width, shape.channels],
    numClasses: classes.length,
    width: config.width ?? 1,
    mean: config.mean ?? mean,
    std: config.std ?? std,
    seed: 0
  }
  if (spec.inputShape.join('×') !== [shape.height, shape.width, shape.channels].join('×'))
    throw new JobFailure(
      `${config.file} holds a model for ${spec.inputShape.join('×')} images, but ${dataset.name} has ${shape.height}×${shape.width}×${shape.channels}`
    )
  const model = adapt(createModel(spec))
  try {
    try {
      loadWeights(model, bytes, config.file)
    } catch (error) {
      throw new JobFailure((error as Error).message)
    }
    ctx.progress({ phase: 'checking accuracy', step: 0, total: 1 })
    const test = await loadDatasetRecord(dataset, { split: dataset.info.splits.test ? 'test' : 'train', subset: 2000 }, ctx.spec.dataDir)
    const clean = evaluateClean(model, test)
    ctx.metrics([
      { name: METRICS.testAccuracy, step: 0, value: clean.accuracy },
      { name: METRICS.testLoss, step: 0, value: clean.loss }
    ])
    ctx.log(
      'info',
      `Imported ${spec.arch} (width ${spec.width}) from ${config.file}: clean accuracy ${(clean.accuracy * 100).toFixed(2)}% on ${test.n} images of ${dataset.name}.`
    )
    await saveWeights(ctx, model, path.join(ctx.spec.dataDir, 'runs', String(ctx.spec.runId), 'weights.safetensors'))
    return { testAccuracy: clean.accuracy }
  } finally {
    model.dispose()
  }
}
