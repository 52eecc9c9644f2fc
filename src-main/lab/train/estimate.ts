import type { LabContext } from '../context'
import type { TrainConfig, TrainEstimate } from '../../api/train'
import { ensureBuiltinDatasets } from '../data/builtins'
import { getDatasetRecord } from '../store/datasets'
import { runProbe, type ProbeResult } from '../jobs/probe'
import { coresPerJob } from '../jobs/queue'
import { stepsPerEpoch } from './loop'
import { dataParallelSpeedup, defaultWorkers } from './parallel/data-parallel'

/** Probe timings per (backend, model, input, batch), measured once per process. */
const probes = new Map<string, Promise<ProbeResult>>()

/** The measured probe for a training config's model, input and batch on the active backend (cached). */
export async function probeFor(ctx: LabContext, config: TrainConfig): Promise<ProbeResult> {
  await ensureBuiltinDatasets(ctx)
  const { shape, classes } = getDatasetRecord(ctx.db, config.dataset).info
  const request = {
    backend: (await ctx.backend()).name,
    model: config.model,
    inputShape: [shape.height, shape.width, shape.channels] as [number, number, number],
    numClasses: classes.length,
    batchSize: config.batchSize
  }
  const key = JSON.stringify(request)
  if (!probes.has(key))
    probes.set(
      key,
      runProbe(request).catch((error) => (probes.delete(key), Promise.reject(error)))
    )
  return probes.get(key)!
}

/** `concurrency`: how many jobs will run at once (the queue's setting unless a study says otherwise). */
export async function estimateTraining(ctx: LabContext, config: TrainConfig, concurrency = ctx.jobs.concurrency): Promise<TrainEstimate> {
  const probe = await probeFor(ctx, config)
  const backend = probe.backend
  const { splits } = getDatasetRecord(ctx.db, config.dataset).info
  const trainImages = Math.min(config.subset.train ?? splits.train, splits.train)
  const testImages = splits.test ? Math.min(config.subset.test ?? splits.test, splits.test) : 0
  const steps = stepsPerEpoch(trainImages, config.batchSize) * config.epochs
  // The probe steps on one thread; a job gets its share of the cores for data-parallel training.
  const workers = config.workers ?? defaultWorkers(config.model.arch, coresPerJob(concurrency))
  const secondsPerStep = probe.secondsPerTrainStep / dataParallelSpeedup(backend, workers)
  const trainSeconds = steps * secondsPerStep
  const evaluations = config.evalEveryEpoch ? config.epochs : 1
  const evalSeconds = evaluations * testImages * probe.secondsPerInferenceImage
  return { backend, trainImages, testImages, steps, secondsPerStep, trainSeconds, evalSeconds, totalSeconds: trainSeconds + evalSeconds }
}
