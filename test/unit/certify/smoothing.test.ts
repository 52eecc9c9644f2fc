/**
 * Randomised smoothing against its closed form (Cohen et al. 2019): for a linear binary classifier
 * f(x) = [w·x + b > 0], f(x + δ) with δ ~ N(0, σ²I) is Gaussian in w·δ, so the smoothed classifier's
 * pA = Φ(|w·x + b| / (σ‖w‖)) and the exact certified radius σ·Φ⁻¹(pA) is the distance to the
 * hyperplane. CERTIFY's Monte-Carlo radius must sit below it, within the sampling error of the count.
 */
import { describe, expect, it } from 'vitest'
import { certifiedAccuracyAtRadii, certifySmoothed, type BaseClassifier } from '../../../src-main/lab/certify/smoothing'
import { clopperPearsonLower, normalCdf, normalQuantile } from '../../../src-main/lab/certify/statistics'
import { evaluateSmoothing, radiusGrid } from '../../../src-main/lab/certify/smoothing-evaluation'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { initEngine } from '../../../src-main/lab/engine/init'
import * as tf from '@tensorflow/tfjs-core'

const d = 16
const w = Float32Array.from({ length: d }, (_, i) => Math.sin(i + 1))
const b = -0.3
const norm = Math.hypot(...w)
const linear: BaseClassifier = (images, count) =>
  Int32Array.from({ length: count }, (_, k) => {
    let z = b
    for (let i = 0; i < d; i++) z += w[i] * images[k * d + i]
    return z > 0 ? 1 : 0
  })

/** A point whose signed distance to the hyperplane is `distance`. */
const atDistance = (distance: number) => {
  const base = new Float32Array(d).fill(0.5)
  const z = w.reduce((s, wi) => s + wi * 0.5, b)
  return Float32Array.from(base, (v, i) => v + ((distance - z / norm) * w[i]) / norm)
}

describe('randomised smoothing on a linear classifier', () => {
  const budget = { sigma: 0.25, n0: 100, n: 10_000, alpha: 0.001 }
  for (const distance of [0.1, 0.4, -0.6]) {
    it(`certifies the class and a radius just below the distance to the hyperplane (${Math.abs(distance)})`, () => {
      const r = certifySmoothed(linear, atDistance(distance), 2, budget, 7)
      const pA = normalCdf(Math.abs(distance) / budget.sigma)
      expect(r.prediction).toBe(distance > 0 ? 1 : 0)
      // The count is Binomial(n, pA): four standard deviations either side bound the radius.
      const spread = 4 * Math.sqrt(budget.n * pA * (1 - pA))
      const radiusAt = (count: number) =>
        budget.sigma * normalQuantile(clopperPearsonLower(Math.min(budget.n, count), budget.n, budget.alpha))
      expect(r.count).toBeGreaterThan(budget.n * pA - spread)
      expect(r.count).toBeLessThan(budget.n * pA + spread)
      expect(r.radius).toBeLessThanOrEqual(Math.abs(distance))
      expect(r.radius).toBeGreaterThanOrEqual(radiusAt(Math.floor(budget.n * pA - spread)))
      expect(r.radius).toBeLessThanOrEqual(radiusAt(Math.ceil(budget.n * pA + spread)))
      expect(r.radius).toBeCloseTo(budget.sigma * normalQuantile(r.pALower), 12)
    })
  }

  it('abstains on the hyperplane, where pA = ½', () => {
    const r = certifySmoothed(linear, atDistance(0), 2, budget, 8)
    expect(r.prediction).toBe(-1)
    expect(r.radius).toBe(0)
  })

  it('is reproducible from its seed', () => {
    const x = atDistance(0.2)
    expect(certifySmoothed(linear, x, 2, { ...budget, n: 500 }, 3)).toEqual(certifySmoothed(linear, x, 2, { ...budget, n: 500 }, 3))
  })

  it('counts a sample as certified at r when it is correct with radius ≥ r', () => {
    const predictions = [
      { prediction: 1, radius: 0.5, pALower: 0.9, count: 0 },
      { prediction: 0, radius: 0.2, pALower: 0.8, count: 0 },
      { prediction: -1, radius: 0, pALower: 0.4, count: 0 },
      { prediction: 2, radius: 0.9, pALower: 0.99, count: 0 }
    ]
    expect(certifiedAccuracyAtRadii(predictions, Int32Array.from([1, 0, 1, 1]), [0, 0.25, 0.5])).toEqual([
      { radius: 0, accuracy: 0.5 },
      { radius: 0.25, accuracy: 0.25 },
      { radius: 0.5, accuracy: 0.25 }
    ])
  })
})

describe('randomised smoothing in an evaluation', () => {
  it('certifies radii up to σ·Φ⁻¹(α^(1/n)) only: the grid stops there (0.615 for σ = 0.25, n = 1,000, α = 0.001)', () => {
    expect(radiusGrid({ sigma: 0.25, n0: 100, n: 1000, alpha: 0.001 })).toEqual([0, 0.25, 0.5])
    expect(radiusGrid({ sigma: 0.5, n0: 100, n: 100_000, alpha: 0.001 }).at(-1)).toBe(1.75) // 0.5·Φ⁻¹(0.999931) = 1.905
  })

  it("runs the model's classifier on noisy copies and reports certified accuracy and the average radius", async () => {
    await initEngine('cpu')
    // The same linear classifier as logits (−z, z) on 4×4×1 images.
    const wt = tf.tensor2d(Array.from(w, (v) => [-v, v]).flat(), [d, 2])
    const classifier = classifierFromFunction(
      (x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], d]), wt), tf.tensor1d([-b, b])) as tf.Tensor2D,
      { numClasses: 2, inputShape: [4, 4, 1] }
    )
    const distances = [0.3, -0.45, 0.15]
    const images = new Float32Array(3 * d)
    distances.forEach((dist, i) => images.set(atDistance(dist), i * d))
    const labels = Int32Array.from([1, 0, 0]) // the last is wrong
    const r = evaluateSmoothing(classifier, { images, labels }, [4, 4, 1], 3, { sigma: 0.25, n0: 100, n: 2000, alpha: 0.001 }, 1)
    expect(r.predictions.map((p) => p.prediction)).toEqual([1, 0, 1])
    r.predictions.forEach((p, i) => expect(p.radius).toBeLessThanOrEqual(Math.abs(distances[i])))
    expect(r.predictions[0].radius).toBeGreaterThan(0.2)
    expect(r.averageRadius).toBeCloseTo((r.predictions[0].radius + r.predictions[1].radius) / 3, 12)
    expect(r.atRadii[0]).toEqual({ radius: 0, accuracy: 2 / 3 })
  })
})
