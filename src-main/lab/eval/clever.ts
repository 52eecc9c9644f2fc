/**
 * CLEVER (Weng et al., ICLR 2018, "Evaluating the Robustness of Neural Networks: An Extreme Value
 * Theory Approach"): an attack-independent estimate of the minimal adversarial perturbation of x0,
 * g(x0) / L, where g = z_c − z_t is the margin to a target class t and L the local Lipschitz
 * constant of g in the ball B_p(x0, R), measured in the dual norm of the gradient (‖∇g‖₁ for L∞,
 * ‖∇g‖₂ for L2). L is estimated by extreme value theory: `batches` batches of `samplesPerBatch`
 * points drawn uniformly in the ball, the maximum gradient norm of each batch, a reverse Weibull
 * fit to those maxima (weibull.ts) whose location is the estimate. The score is capped at R.
 *
 * The target is the runner-up class of x0 (the paper's "top-2" untargeted estimate), which costs
 * one fit per sample instead of K − 1. The raw largest gradient norm seen is also reported: that
 * is the local empirical Lipschitz estimate ("max gradient norm around each sample").
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier, Norm } from '../attacks/types'
import { rng } from '../attacks/base'
import { fitReverseWeibull, type WeibullFit } from './weibull'

export interface CleverBudget {
  batches: number
  samplesPerBatch: number
  /** Radius of the ball, in the attack norm; also the largest score reported. */
  radius: number
}

export interface CleverSample {
  score: number
  margin: number
  target: number
  /** Reverse-Weibull location: CLEVER's Lipschitz estimate (null when the fit was degenerate). */
  lipschitz: number | null
  /** Largest gradient norm seen in the ball: the local empirical Lipschitz estimate. */
  maxGradientNorm: number
  fit: WeibullFit | null
}

export function cleverScore(
  model: Classifier,
  x0: Float32Array,
  label: number,
  norm: Norm,
  budget: CleverBudget,
  seed: number
): CleverSample {
  const shape = model.inputShape
  const d = x0.length
  const logits = tf.tidy(() => model.logits(tf.tensor4d(x0, [1, ...shape])).dataSync() as Float32Array)
  let target = -1
  for (let k = 0; k < logits.length; k++) if (k !== label && (target < 0 || logits[k] > logits[target])) target = k
  const margin = logits[label] - logits[target]
  if (margin <= 0) return { score: 0, margin, target, lipschitz: null, maxGradientNorm: NaN, fit: null }

  const random = rng(seed)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const maxima: number[] = []
  const points = new Float32Array(budget.samplesPerBatch * d)
  for (let b = 0; b < budget.batches; b++) {
    for (let s = 0; s < budget.samplesPerBatch; s++) {
      const at = s * d
      if (norm === 'Linf') {
        for (let i = 0; i < d; i++) points[at + i] = x0[i] + budget.radius * (2 * random() - 1)
      } else {
        // Uniform in the L2 ball: a Gaussian direction, radius R·u^(1/d).
        let sq = 0
        for (let i = 0; i < d; i++) {
          const g = gaussian()
          points[at + i] = g
          sq += g * g
        }
        const r = (budget.radius * Math.pow(random(), 1 / d)) / Math.sqrt(sq)
        for (let i = 0; i < d; i++) points[at + i] = x0[i] + r * points[at + i]
      }
      for (let i = 0; i < d; i++) points[at + i] = Math.min(1, Math.max(0, points[at + i]))
    }
    const norms = tf.tidy(() => {
      const x = tf.tensor4d(points, [budget.samplesPerBatch, ...shape])
      const grad = model.gradient(
        x,
        (z) => tf.sum(tf.sub(tf.slice(z, [0, label], [-1, 1]), tf.slice(z, [0, target], [-1, 1]))) as tf.Scalar
      )
      const flat = tf.reshape(grad, [budget.samplesPerBatch, -1])
      return (norm === 'Linf' ? tf.sum(tf.abs(flat), 1) : tf.sqrt(tf.sum(tf.square(flat), 1))).dataSync() as Float32Array
    })
    maxima.push(Math.max(...norms))
  }
  const maxGradientNorm = Math.max(...maxima)
  let fit: WeibullFit | null = null
  if (maxGradientNorm > 0 && new Set(maxima).size > 2) {
    try {
      fit = fitReverseWeibull(maxima)
    } catch {
      fit = null
    }
  }
  // A degenerate fit (all maxima equal, or zero: a masked gradient) falls back to the sample maximum.
  const lipschitz = fit ? fit.location : maxGradientNorm > 0 ? maxGradientNorm : null
  const score = lipschitz ? Math.min(margin / lipschitz, budget.radius) : budget.radius
  return { score, margin, target, lipschitz, maxGradientNorm, fit }
}
