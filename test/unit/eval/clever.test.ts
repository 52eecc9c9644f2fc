/**
 * CLEVER's extreme-value estimate: the reverse Weibull fit recovers a known location, and on a linear
 * classifier — whose margin gradient is the same everywhere — CLEVER equals the exact distance to
 * the decision boundary, margin / ‖w_c − w_t‖ in the dual norm.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { fitReverseWeibull } from '../../../src-main/lab/eval/weibull'
import { cleverScore } from '../../../src-main/lab/eval/clever'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { seededUniform } from '../../../src-main/lab/models/random'

beforeAll(async () => {
  await initEngine('cpu')
})

describe('the reverse Weibull fit', () => {
  it('recovers the location (the maximum) of samples drawn from a known distribution', () => {
    // Inverse CDF of F(y) = exp(−((a − y)/β)^c): y = a − β(−ln u)^{1/c}.
    const random = seededUniform(5)
    const a = 7
    const samples = Array.from({ length: 400 }, () => a - 2 * Math.pow(-Math.log(random()), 1 / 3))
    const fit = fitReverseWeibull(samples)
    expect(fit.location).toBeGreaterThanOrEqual(Math.max(...samples))
    expect(Math.abs(fit.location - a) / a).toBeLessThan(0.03)
    expect(fit.shape).toBeCloseTo(3, 0)
    expect(fit.ks).toBeLessThan(0.1)
  })
})

describe('CLEVER', () => {
  const w = [
    [0.5, -1.0, 0.25, 2.0],
    [-0.75, 0.5, 1.5, -0.25],
    [0.1, 0.2, -0.3, 0.4]
  ]
  const b = [0.3, -0.1, 0.0]
  // Built on first use: the engine is up only once beforeAll has run.
  let made: ReturnType<typeof classifierFromFunction> | null = null
  const model = () =>
    (made ??= classifierFromFunction(
      (x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], 4]), tf.transpose(tf.tensor2d(w.flat(), [3, 4]))), b) as tf.Tensor2D,
      { numClasses: 3, inputShape: [2, 2, 1] }
    ))
  const x0 = Float32Array.from([0.5, 0.4, 0.6, 0.5])
  const logits = w.map((row, k) => row.reduce((s, v, i) => s + v * x0[i], b[k]))
  const label = logits.indexOf(Math.max(...logits))
  const target = logits.map((v, k) => (k === label ? -Infinity : v)).reduce((best, v, k, all) => (v > all[best] ? k : best), 0)
  const diff = w[label].map((v, i) => v - w[target][i])
  const margin = logits[label] - logits[target]

  it('equals margin / ‖w_c − w_t‖₁ in L∞ and margin / ‖w_c − w_t‖₂ in L2 on a linear model', () => {
    const linf = cleverScore(model(), x0, label, 'Linf', { batches: 10, samplesPerBatch: 16, radius: 5 }, 1)
    expect(linf.target).toBe(target)
    expect(linf.maxGradientNorm).toBeCloseTo(
      diff.reduce((s, v) => s + Math.abs(v), 0),
      4
    )
    expect(linf.score).toBeCloseTo(margin / diff.reduce((s, v) => s + Math.abs(v), 0), 4)
    const l2 = cleverScore(model(), x0, label, 'L2', { batches: 10, samplesPerBatch: 16, radius: 5 }, 1)
    expect(l2.score).toBeCloseTo(margin / Math.hypot(...diff), 4)
  })

  it('is capped at the radius, and 0 for a misclassified point', () => {
    expect(cleverScore(model(), x0, label, 'L2', { batches: 5, samplesPerBatch: 8, radius: 1e-3 }, 2).score).toBe(1e-3)
    const wrong = (label + 1) % 3
    expect(cleverScore(model(), x0, wrong, 'L2', { batches: 5, samplesPerBatch: 8, radius: 1 }, 2).score).toBe(0)
  })
})
