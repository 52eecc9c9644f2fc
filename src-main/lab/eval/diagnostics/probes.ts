/**
 * The cheap measurements behind checks 4–6: input gradients, the shape of the logits, and whether
 * the model answers the same twice.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier } from '../../attacks/types'

function batches(n: number, size: number): [number, number][] {
  const out: [number, number][] = []
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)])
  return out
}

/** Share of the samples with `include[i]` whose cross-entropy input gradient is exactly zero. */
export function zeroGradientShare(
  model: Classifier,
  images: Float32Array,
  labels: Int32Array,
  include: Uint8Array,
  batchSize = 128
): number {
  const shape = model.inputShape
  const size = shape[0] * shape[1] * shape[2]
  let zero = 0
  let counted = 0
  for (const [s, e] of batches(labels.length, batchSize)) {
    const norms = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(s * size, e * size), [e - s, ...shape])
      const onehot = tf.oneHot(tf.tensor1d(labels.subarray(s, e), 'int32'), model.numClasses)
      const g = model.gradient(x, (z) => tf.losses.softmaxCrossEntropy(onehot, z, undefined, undefined, tf.Reduction.SUM) as tf.Scalar)
      return tf.sum(tf.abs(tf.reshape(g, [e - s, -1])), 1).dataSync() as Float32Array
    })
    for (let i = 0; i < norms.length; i++) {
      if (!include[s + i]) continue
      counted++
      if (norms[i] === 0) zero++
    }
  }
  return counted ? zero / counted : 0
}

/** Whether the outputs look like probabilities, and the median gap between the top two logits. */
export function logitShape(
  model: Classifier,
  images: Float32Array,
  batchSize = 256
): { probabilityLike: boolean; medianTopLogitGap: number } {
  const shape = model.inputShape
  const size = shape[0] * shape[1] * shape[2]
  const n = images.length / size
  const gaps: number[] = []
  let probabilityRows = 0
  for (const [s, e] of batches(n, batchSize)) {
    const z = tf.tidy(() => model.logits(tf.tensor4d(images.subarray(s * size, e * size), [e - s, ...shape])).dataSync() as Float32Array)
    const k = model.numClasses
    for (let r = 0; r < e - s; r++) {
      const row = z.subarray(r * k, (r + 1) * k)
      let top = -Infinity
      let second = -Infinity
      let sum = 0
      let inUnit = true
      for (const v of row) {
        if (v > top) [second, top] = [top, v]
        else if (v > second) second = v
        sum += v
        if (v < 0 || v > 1) inUnit = false
      }
      gaps.push(top - second)
      if (inUnit && Math.abs(sum - 1) < 1e-3) probabilityRows++
    }
  }
  gaps.sort((a, b) => a - b)
  return { probabilityLike: n > 0 && probabilityRows / n >= 0.99, medianTopLogitGap: gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0 }
}

/** Largest absolute change of any logit between two calls on the same images. */
export function maxLogitChange(model: Classifier, images: Float32Array): number {
  const shape = model.inputShape
  const n = images.length / (shape[0] * shape[1] * shape[2])
  return tf.tidy(() => {
    const x = tf.tensor4d(images, [n, ...shape])
    return tf.max(tf.abs(tf.sub(model.logits(x), model.logits(x)))).dataSync()[0]
  })
}
