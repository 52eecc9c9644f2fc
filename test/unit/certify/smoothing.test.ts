/**
 * Randomised smoothing against its closed form (Cohen et al. 2019): for a linear binary classifier
 * f(x) = [w·x + b > 0], f(x + δ) with δ ~ N(0, σ²I) is Gaussian in w·δ, so the smoothed classifier's
 * pA = Φ(|w·x + b| / (σ‖w‖)) and the exact certified radius σ·Φ⁻¹(pA) is the distance to the
 * hyperplane. CERTIFY's Monte-Carlo radius must sit below it, within the sampling error of the count.
 */
import { describe, expect, it } from 'vitest'
import { certifiedAccuracyAtRadii, certifySmoothed, type BaseClassifier } from '../../../src-main/lab/certify/smoothing'
import { clopperPearsonLower, normalCdf, normalQuantile } from '../../../src-main/lab/certify/statistics'

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
      const radiusAt = (count: number) => budget.sigma * normalQuantile(clopperPearsonLower(Math.min(budget.n, count), budget.n, budget.alpha))
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
