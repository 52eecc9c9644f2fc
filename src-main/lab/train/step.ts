/** One batch's loss, correct predictions and gradients — the unit of work of every training step. */
import * as tf from '@tensorflow/tfjs-core'

import type { TrainableModel } from './model'

export type LossFunction = ((
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  batch: { images: Float32Array; indices: Int32Array; progress?: number }
) => tf.Scalar) & {
  /**
   * How the loop computes the clean batch's logits: 'training' (default) when the loss uses them;
   * 'inference' when it does not (adversarial training on adversarial examples only), so that only
   * the batch the model learns from passes BatchNorm in training mode. They still count correct
   * predictions for the train accuracy.
   */
  cleanLogits?: 'training' | 'inference'
}

export interface Batch {
  images: Float32Array
  labels: Int32Array
  /** Positions of the images in the training set (seeds of per-batch randomness derive from them). */
  indices: Int32Array
  /** Share of the phase's steps done before this one, 0 to 1: losses with a schedule (CROWN-IBP's ramps) read it. */
  progress?: number
}

export interface BatchGradients {
  /** One gradient per trainable variable, in `model.variables` order; the caller disposes them. */
  grads: tf.Tensor[]
  /** Mean loss over the batch. */
  loss: number
  correct: number
}

/** Forward in training mode (BatchNorm updates its running statistics) and backward. */
export function batchGradients(
  model: TrainableModel,
  batch: Batch,
  lossFn: LossFunction,
  shape: { height: number; width: number; channels: number }
): BatchGradients {
  return tf.tidy(() => {
    const x = tf.tensor4d(batch.images, [batch.labels.length, shape.height, shape.width, shape.channels])
    const y = tf.tensor1d(batch.labels, 'int32')
    let correct: tf.Tensor | null = null
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x, lossFn.cleanLogits !== 'inference')
      correct = tf.keep(tf.sum(tf.equal(tf.argMax(logits, 1), y)))
      return lossFn(logits, y, batch)
    }, model.variables)
    const kept = correct as unknown as tf.Tensor
    const result = { grads: model.variables.map((v) => grads[v.name]), loss: value.dataSync()[0], correct: kept.dataSync()[0] }
    kept.dispose() // kept out of variableGrads' scope above, so it is ours to free
    return result
  })
}

/**
 * Splits a batch into `parts` contiguous shards of near-equal size (the first ones one image
 * larger), none smaller than two images: BatchNorm needs two to compute batch statistics.
 */
export function splitBatch(batch: Batch, parts: number, imageSize: number): Batch[] {
  const n = batch.labels.length
  const count = Math.max(1, Math.min(parts, Math.floor(n / 2)))
  const shards: Batch[] = []
  let start = 0
  for (let k = 0; k < count; k++) {
    const end = start + Math.floor(n / count) + (k < n % count ? 1 : 0)
    shards.push({
      images: batch.images.subarray(start * imageSize, end * imageSize),
      labels: batch.labels.subarray(start, end),
      indices: batch.indices.subarray(start, end),
      progress: batch.progress
    })
    start = end
  }
  return shards
}
