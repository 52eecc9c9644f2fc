/** A training run: one model trained on one dataset (also a distillation teacher, at T > 1). */
import path from 'node:path'
import type { JobContext } from '../jobs/job-context'
import { buildModel, saveWeights } from './build-model'
import { CheckpointStore } from './checkpoints'
import { loadTrainingData } from './data'
import { trainModel } from './loop'
import { describeDefence, withDefenceLayer } from '../defences/training'

export async function trainJob(ctx: JobContext<'train'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const { train, test } = await loadTrainingData(ctx, config)
  const model = withDefenceLayer(buildModel(config.model, train, ctx.spec.inputs.dataset!.info, config.seed), config.defence, config.seed)
  if (config.defence) ctx.log('info', `Training with ${describeDefence(config.defence)}.`)
  const runDir = path.join(ctx.spec.dataDir, 'runs', String(ctx.spec.runId))
  try {
    const result = await trainModel({
      model,
      config,
      train,
      test,
      ctx,
      phase: 'train',
      checkpoints: new CheckpointStore(path.join(runDir, 'checkpoints')),
      // Teacher training divides the logits by T (Papernot et al. 2016); T = 1 is ordinary CE.
      objective: { kind: 'cross-entropy', temperature: config.temperature, labelSmoothing: config.labelSmoothing }
    })
    await saveWeights(ctx, model, path.join(runDir, 'weights.safetensors'))
    return { testAccuracy: result.testAccuracy, trainAccuracy: result.trainAccuracy, steps: result.steps, workers: result.workers }
  } finally {
    model.dispose()
  }
}
