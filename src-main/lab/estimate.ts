import type { LabContext } from './context'
import type { TrainConfig, TrainEstimate } from '../api/train'
import { ensureBuiltinDatasets } from './data/builtins'
import { getDatasetRecord } from './store/datasets'
import { runProbe, type ProbeResult } from './jobs/probe'
import { stepsPerEpoch } from './train/loop'

/** Probe timings per (backend, model, input, batch), measured once per process. */
const probes = new Map<string, Promise<ProbeResult>>()

export async function estimateTraining(ctx: LabContext, config: TrainConfig): Promise<TrainEstimate> {
  await ensureBuiltinDatasets(ctx)
  const dataset = getDatasetRecord(ctx.db, config.dataset)
  const { shape, splits, classes } = dataset.info
  const backend = (await ctx.backend()).name
  const request = {
    backend,
    model: config.model,
    inputShape: [shape.height, shape.width, shape.channels] as [number, number, number],
    numClasses: classes.length,
    batchSize: config.batchSize
  }
  const key = JSON.stringify(request)
  if (!probes.has(key)) probes.set(key, runProbe(request).catch((error) => (probes.delete(key), Promise.reject(error))))
  const probe = await probes.get(key)!
  const trainImages = Math.min(config.subset.train ?? splits.train, splits.train)
  const testImages = splits.test ? Math.min(config.subset.test ?? splits.test, splits.test) : 0
  const steps = stepsPerEpoch(trainImages, config.batchSize) * config.epochs
  const trainSeconds = steps * probe.secondsPerTrainStep
  const evaluations = config.evalEveryEpoch ? config.epochs : 1
  const evalSeconds = evaluations * testImages * probe.secondsPerInferenceImage
  return { backend, trainImages, testImages, steps, secondsPerStep: probe.secondsPerTrainStep, trainSeconds, evalSeconds, totalSeconds: trainSeconds + evalSeconds }
}
