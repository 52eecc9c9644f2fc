/**
 * The training loop shared by ordinary training, teacher training and distillation: seeded
 * batches, the LR schedule, one optimizer step per batch, per-step loss/accuracy and per-epoch
 * train/test accuracy to the log, NaN/Inf detection, checkpoints and exact resume.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { TrainConfig } from '../../api/train'
import type { JobContext } from '../jobs/job-context'
import { JobCancelled, JobFailure } from '../jobs/job-context'
import { deriveSeed } from '../data/subsets'
import { epochPermutation, gatherBatch, type ImageSet } from './batches'
import { evaluateClean } from './evaluate'
import type { TrainableModel } from './model'
import { createOptimizer } from './optimizers'
import { learningRate } from './schedule'
import { CheckpointStore } from './checkpoints'
import type { BuiltModel } from './build-model'
import { objectiveLoss, type Objective } from './objective'
import { dataParallelGradients, defaultWorkers, startReplicas } from './parallel/data-parallel'
import type { ReplicaPool } from './parallel/replica-pool'
import { batchGradients, type Batch, type LossFunction } from './step'
import { METRICS } from '../../api/metrics'

export interface TrainingOptions {
  model: TrainableModel
  config: TrainConfig
  train: ImageSet
  test: ImageSet | null
  ctx: JobContext
  /** What to minimise; the defence in `config` is applied on top of it. */
  objective: Objective
  /** The teacher, for a distillation objective. */
  teacher?: TrainableModel | null
  checkpoints: CheckpointStore
  /** Phase name shown in progress ("train", "teacher", "student"). */
  phase: string
  /** Prefix of metric names, so a teacher's and a student's curves stay apart. */
  metricPrefix?: string
  /** Seconds between mid-epoch checkpoints (one is always written at each epoch end). */
  checkpointEverySeconds?: number
  /** Steps of earlier phases of the same run, so every phase's steps are distinct on the x-axis. */
  stepOffset?: number
}

export interface TrainingResult {
  steps: number
  trainAccuracy: number
  testAccuracy: number | null
  testLoss: number | null
  /** Threads each batch was split across (1 = no data-parallel training). */
  workers: number
}

/** Batches per epoch; a last batch of one image is dropped (BatchNorm cannot use it). */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return n % batchSize === 1 ? Math.floor(n / batchSize) : Math.ceil(n / batchSize)
}

export async function trainModel(options: TrainingOptions): Promise<TrainingResult> {
  const { model, config, train, test, ctx, checkpoints, phase } = options
  const prefix = options.metricPrefix ?? ''
  const optimizer = createOptimizer(config.optimizer, model.variables)
  const loss = objectiveLoss(options.objective, config.defence, model, train, config.seed, options.teacher ?? null)
  const perEpoch = stepsPerEpoch(train.n, config.batchSize)
  const totalSteps = perEpoch * config.epochs
  let step = 0
  let epochCorrect = 0
  let epochSeen = 0

  const globalOffset = options.stepOffset ?? 0
  const resumed = ctx.spec.resume ? checkpoints.latest(phase) : null
  if (resumed) {
    model.loadNamedState(resumed.tensors)
    optimizer.loadState(resumed.tensors)
    step = resumed.meta.step
    epochCorrect = resumed.meta.epochCorrect
    epochSeen = resumed.meta.epochSeen
  }
  // Whatever this phase logged after the point it restarts from is recomputed now; the screen
  // says where it resumes before the first new step is done.
  if (ctx.spec.resume) {
    ctx.resumed(globalOffset + step, globalOffset + totalSteps)
    ctx.progress({ phase, step, total: totalSteps, etaSeconds: null })
  }
  const save = async () => {
    const state = new Map([...model.namedState(), ...optimizer.state()])
    await checkpoints.save(phase, state, { step, globalStep: globalOffset + step, epochCorrect, epochSeen })
  }

  const started = Date.now()
  const firstStep = step
  let lastCheckpoint = Date.now()
  let result: TrainingResult = { steps: step, trainAccuracy: 0, testAccuracy: null, testLoss: null, workers: 1 }
  let replicas: ReplicaPool | null = null
  try {
    replicas = await startReplicas(
      ctx,
      model as BuiltModel,
      config.workers ?? defaultWorkers(config.model.arch, ctx.spec.cores ?? 1),
      config.seed,
      options.objective,
      config.defence
    )
    while (step < totalSteps) {
      const epoch = Math.floor(step / perEpoch)
      const order = epochPermutation(train.n, config.seed, epoch)
      for (let b = step % perEpoch; b < perEpoch; b++) {
        if (ctx.cancelled()) {
          // Checkpoint where it stopped, so a resume continues from this step, not the last periodic save.
          await save()
          throw new JobCancelled({ step: globalOffset + step, total: globalOffset + totalSteps })
        }
        const indices = order.subarray(b * config.batchSize, Math.min(train.n, (b + 1) * config.batchSize))
        const batch = {
          ...gatherBatch(train, indices, config.augmentation, deriveSeed(config.seed, `augment/${epoch}/${b}`)),
          indices,
          progress: step / totalSteps
        }
        const lr = learningRate(config, step, totalSteps, perEpoch)
        const { loss: batchLoss, correct } = await trainStep(model, optimizer, batch, loss, lr, train, replicas)
        step += 1
        const globalStep = globalOffset + step
        if (!Number.isFinite(batchLoss)) {
          throw new JobFailure(
            `the ${phase} loss became ${batchLoss} at step ${globalStep} (epoch ${epoch + 1}); lower the learning rate or check the data`,
            globalStep
          )
        }
        epochCorrect += correct
        epochSeen += indices.length
        ctx.metrics([
          { name: `${prefix}${METRICS.trainLoss}`, step: globalStep, value: batchLoss },
          { name: `${prefix}${METRICS.trainBatchAccuracy}`, step: globalStep, value: correct / indices.length },
          { name: `${prefix}${METRICS.learningRate}`, step: globalStep, value: lr }
        ])
        const elapsed = (Date.now() - started) / 1000
        const rate = (step - firstStep) / Math.max(elapsed, 1e-3)
        ctx.progress({
          phase,
          step,
          total: totalSteps,
          etaSeconds: rate > 0 ? (totalSteps - step) / rate : null,
          message: `epoch ${epoch + 1}/${config.epochs}`
        })
        if (Date.now() - lastCheckpoint > (options.checkpointEverySeconds ?? 30) * 1000 && b < perEpoch - 1) {
          await save()
          lastCheckpoint = Date.now()
        }
      }
      // Epoch end: its accuracy, the clean test accuracy, a checkpoint, and a flush of the log.
      const trainAccuracy = epochSeen ? epochCorrect / epochSeen : 0
      const points = [{ name: `${prefix}${METRICS.trainAccuracy}`, step: globalOffset + step, value: trainAccuracy }]
      result = { steps: step, trainAccuracy, testAccuracy: null, testLoss: null, workers: 1 + (replicas?.size ?? 0) }
      if (test && (config.evalEveryEpoch || step === totalSteps)) {
        // The phase stays the phase: "train: test" read as "train: test: 32 of 64" under the step count.
        ctx.progress({ phase, step, total: totalSteps, etaSeconds: null, message: `testing after epoch ${epoch + 1}` })
        const clean = evaluateClean(model, test)
        points.push(
          { name: `${prefix}${METRICS.testAccuracy}`, step: globalOffset + step, value: clean.accuracy },
          { name: `${prefix}${METRICS.testLoss}`, step: globalOffset + step, value: clean.loss }
        )
        result = { ...result, testAccuracy: clean.accuracy, testLoss: clean.loss }
      }
      ctx.metrics(points)
      ctx.log(
        'info',
        `${phase} epoch ${epoch + 1}/${config.epochs}: train accuracy ${(trainAccuracy * 100).toFixed(2)}%${result.testAccuracy !== null ? `, test accuracy ${(result.testAccuracy * 100).toFixed(2)}%` : ''}`
      )
      epochCorrect = 0
      epochSeen = 0
      await save()
      lastCheckpoint = Date.now()
      ctx.phaseEnd()
    }
  } finally {
    optimizer.dispose()
    await replicas?.close()
  }
  return result
}

/** One optimizer step, on one thread or data-parallel over the replicas; returns the batch loss and correct count. */
export async function trainStep(
  model: TrainableModel,
  optimizer: ReturnType<typeof createOptimizer>,
  batch: Batch,
  lossFn: LossFunction,
  lr: number,
  shape: Pick<ImageSet, 'height' | 'width' | 'channels'>,
  replicas: ReplicaPool | null
): Promise<{ loss: number; correct: number }> {
  const r = replicas
    ? await dataParallelGradients(replicas, model as BuiltModel, batch, lossFn, shape)
    : batchGradients(model, batch, lossFn, shape)
  optimizer.apply(r.grads, lr)
  tf.dispose(r.grads)
  return { loss: r.loss, correct: r.correct }
}
