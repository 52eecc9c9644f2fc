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

export type LossFunction = (logits: tf.Tensor2D, labels: tf.Tensor1D, batch: { images: Float32Array; indices: Int32Array }) => tf.Scalar

export interface TrainingOptions {
  model: TrainableModel
  config: TrainConfig
  train: ImageSet
  test: ImageSet | null
  ctx: JobContext
  loss: LossFunction
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
}

/** Batches per epoch; a last batch of one image is dropped (BatchNorm cannot use it). */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return n % batchSize === 1 ? Math.floor(n / batchSize) : Math.ceil(n / batchSize)
}

export async function trainModel(options: TrainingOptions): Promise<TrainingResult> {
  const { model, config, train, test, ctx, checkpoints, phase } = options
  const prefix = options.metricPrefix ?? ''
  const optimizer = createOptimizer(config.optimizer, model.variables)
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
  // Whatever this phase logged after the point it restarts from is recomputed now.
  if (ctx.spec.resume) ctx.resumed(globalOffset + step)
  const save = async () => {
    const state = new Map([...model.namedState(), ...optimizer.state()])
    await checkpoints.save(phase, state, { step, globalStep: globalOffset + step, epochCorrect, epochSeen })
  }

  const started = Date.now()
  const firstStep = step
  let lastCheckpoint = Date.now()
  let result: TrainingResult = { steps: step, trainAccuracy: 0, testAccuracy: null, testLoss: null }
  try {
    while (step < totalSteps) {
      const epoch = Math.floor(step / perEpoch)
      const order = epochPermutation(train.n, config.seed, epoch)
      for (let b = step % perEpoch; b < perEpoch; b++) {
        if (ctx.cancelled()) throw new JobCancelled()
        const indices = order.subarray(b * config.batchSize, Math.min(train.n, (b + 1) * config.batchSize))
        const batch = gatherBatch(train, indices, config.augmentation, deriveSeed(config.seed, `augment/${epoch}/${b}`))
        const lr = learningRate(config, step, totalSteps, perEpoch)
        const [loss, correct] = trainStep(model, optimizer, batch, indices, options.loss, lr, train)
        step += 1
        const globalStep = globalOffset + step
        if (!Number.isFinite(loss)) {
          throw new JobFailure(`the ${phase} loss became ${loss} at step ${globalStep} (epoch ${epoch + 1}); lower the learning rate or check the data`, globalStep)
        }
        epochCorrect += correct
        epochSeen += indices.length
        ctx.metrics([
          { name: `${prefix}train/loss`, step: globalStep, value: loss },
          { name: `${prefix}train/batch_accuracy`, step: globalStep, value: correct / indices.length },
          { name: `${prefix}lr`, step: globalStep, value: lr }
        ])
        const elapsed = (Date.now() - started) / 1000
        const rate = (step - firstStep) / Math.max(elapsed, 1e-3)
        ctx.progress({ phase, step, total: totalSteps, etaSeconds: rate > 0 ? (totalSteps - step) / rate : null, message: `epoch ${epoch + 1}/${config.epochs}` })
        if (Date.now() - lastCheckpoint > (options.checkpointEverySeconds ?? 30) * 1000 && b < perEpoch - 1) {
          await save()
          lastCheckpoint = Date.now()
        }
      }
      // Epoch end: its accuracy, the clean test accuracy, a checkpoint, and a flush of the log.
      const trainAccuracy = epochSeen ? epochCorrect / epochSeen : 0
      const points = [{ name: `${prefix}train/accuracy`, step: globalOffset + step, value: trainAccuracy }]
      result = { steps: step, trainAccuracy, testAccuracy: null, testLoss: null }
      if (test && (config.evalEveryEpoch || step === totalSteps)) {
        ctx.progress({ phase: `${phase}: test`, step, total: totalSteps, etaSeconds: null, message: `testing after epoch ${epoch + 1}` })
        const clean = evaluateClean(model, test)
        points.push({ name: `${prefix}test/accuracy`, step: globalOffset + step, value: clean.accuracy }, { name: `${prefix}test/loss`, step: globalOffset + step, value: clean.loss })
        result = { ...result, testAccuracy: clean.accuracy, testLoss: clean.loss }
      }
      ctx.metrics(points)
      ctx.log('info', `${phase} epoch ${epoch + 1}/${config.epochs}: train accuracy ${(trainAccuracy * 100).toFixed(2)}%${result.testAccuracy !== null ? `, test accuracy ${(result.testAccuracy * 100).toFixed(2)}%` : ''}`)
      epochCorrect = 0
      epochSeen = 0
      await save()
      lastCheckpoint = Date.now()
      ctx.phaseEnd()
    }
  } finally {
    optimizer.dispose()
  }
  return result
}

/** One optimizer step; returns the batch loss and the number of correct predictions. */
function trainStep(
  model: TrainableModel,
  optimizer: ReturnType<typeof createOptimizer>,
  batch: { images: Float32Array; labels: Int32Array },
  indices: Int32Array,
  lossFn: LossFunction,
  lr: number,
  set: ImageSet
): [number, number] {
  return tf.tidy(() => {
    const x = tf.tensor4d(batch.images, [batch.labels.length, set.height, set.width, set.channels])
    const y = tf.tensor1d(batch.labels, 'int32')
    let correct: tf.Tensor | null = null
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x, true)
      correct = tf.keep(tf.sum(tf.equal(tf.argMax(logits, 1), y)))
      return lossFn(logits, y, { images: batch.images, indices })
    }, model.variables)
    optimizer.apply(model.variables.map((v) => grads[v.name]), lr)
    const kept = correct as unknown as tf.Tensor
    const result: [number, number] = [value.dataSync()[0], kept.dataSync()[0]]
    kept.dispose() // kept out of variableGrads' scope above, so it is ours to free
    return result
  })
}
