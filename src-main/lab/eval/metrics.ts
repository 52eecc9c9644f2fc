/**
 * The static robustness metrics of the seed study: accuracy, accuracy under attack, the drop δ
 * (absolute and relative to clean accuracy), per-sample outcomes, and mean ± std over repeats.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier, Norm } from '../attacks/types'

/** Predicted class of each image, inference mode, in batches. */
export function predict(
  model: Classifier,
  images: Float32Array,
  shape: [number, number, number],
  batchSize = 256
): { predictions: Int32Array; confidences: Float32Array } {
  const size = shape[0] * shape[1] * shape[2]
  const n = images.length / size
  const predictions = new Int32Array(n)
  const confidences = new Float32Array(n)
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize)
    const [p, c] = tf.tidy(() => {
      const logits = model.logits(tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...shape]))
      return [tf.argMax(logits, 1).dataSync() as Int32Array, tf.max(tf.softmax(logits), 1).dataSync() as Float32Array]
    })
    predictions.set(p, start)
    confidences.set(c, start)
  }
  return { predictions, confidences }
}

export function accuracyOf(predictions: Int32Array, labels: Int32Array): number {
  let hits = 0
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++
  return labels.length ? hits / labels.length : 0
}

/** δ = clean − adversarial accuracy, and δ / clean (the share of clean accuracy an attack removes). */
export function accuracyDrop(clean: number, adversarial: number): { absolute: number; relative: number | null } {
  const absolute = clean - adversarial
  return { absolute, relative: clean > 0 ? absolute / clean : null }
}

/** Per-sample norm of x_adv − x in the attack's norm (the achieved perturbation). */
export function perturbationNorms(original: Float32Array, adversarial: Float32Array, perSample: number, norm: Norm): Float32Array {
  const n = original.length / perSample
  const out = new Float32Array(n)
  for (let s = 0; s < n; s++) {
    let v = 0
    for (let i = s * perSample; i < (s + 1) * perSample; i++) {
      const d = Math.abs(adversarial[i] - original[i])
      if (norm === 'Linf') v = Math.max(v, d)
      else v += d * d
    }
    out[s] = norm === 'Linf' ? v : Math.sqrt(v)
  }
  return out
}

/** Mean and sample standard deviation, as "93.4 ± 0.3" style summaries need. */
export function meanStd(values: number[]): { mean: number; std: number; n: number } {
  const n = values.length
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0
  return { mean, std, n }
}

/** The robust accuracy of a set of attacks taken together: a point counts only if no attack fooled it. */
export function worstCaseCorrect(...correct: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(correct[0].length).fill(1)
  for (const c of correct) for (let i = 0; i < out.length; i++) out[i] &= c[i]
  return out
}
