/**
 * Randomised smoothing in the full evaluation: CERTIFY on the budget's first samples with the
 * model's own classifier as the base classifier, then certified accuracy on a grid of L2 radii up to
 * the largest radius n noisy copies can certify at α (σ·Φ⁻¹(α^{1/n}), when every copy agrees).
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier } from '../attacks/types'
import { certifiedAccuracyAtRadii, certifySmoothed, type SmoothedPrediction, type SmoothingBudget } from './smoothing'
import { normalQuantile } from './statistics'

export interface SmoothingEvaluation {
  budget: SmoothingBudget
  predictions: SmoothedPrediction[]
  atRadii: { radius: number; accuracy: number }[]
  /** Mean certified radius, 0 for a wrong or abstained sample (the "average certified radius"). */
  averageRadius: number
}

/** Radii 0, 0.25, 0.5, … up to the largest this budget can certify. */
export function radiusGrid(budget: SmoothingBudget): number[] {
  const largest = budget.sigma * normalQuantile(budget.alpha ** (1 / budget.n))
  return Array.from({ length: Math.floor(largest / 0.25) + 1 }, (_, i) => i * 0.25)
}

export function evaluateSmoothing(
  classifier: Classifier,
  data: { images: Float32Array; labels: Int32Array },
  shape: [number, number, number],
  count: number,
  budget: SmoothingBudget,
  seed: number,
  onSample: (done: number) => void = () => {}
): SmoothingEvaluation {
  const size = shape[0] * shape[1] * shape[2]
  const base = (noisy: Float32Array, m: number) =>
    tf.tidy(() => Int32Array.from(tf.argMax(classifier.logits(tf.tensor4d(noisy, [m, ...shape])), 1).dataSync()))
  const predictions: SmoothedPrediction[] = []
  for (let i = 0; i < count; i++) {
    onSample(i)
    // Each sample's noise from its own seed: a sample's certificate does not depend on which others ran.
    predictions.push(
      certifySmoothed(base, data.images.subarray(i * size, (i + 1) * size), classifier.numClasses, budget, seed * 100_003 + i)
    )
  }
  const labels = data.labels.subarray(0, count)
  const averageRadius = count ? predictions.reduce((s, p, i) => s + (p.prediction === labels[i] ? p.radius : 0), 0) / count : 0
  return { budget, predictions, atRadii: certifiedAccuracyAtRadii(predictions, labels, radiusGrid(budget)), averageRadius }
}
