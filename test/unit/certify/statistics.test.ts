/**
 * The smoothing certificate is only as right as its quantiles: Φ, Φ⁻¹ and the beta quantile are
 * checked against closed forms and against scipy.stats (1.17.1) values written down here.
 */
import { describe, expect, it } from 'vitest'
import { betaQuantile, clopperPearsonLower, incompleteBeta, normalCdf, normalQuantile } from '../../../src-main/lab/certify/statistics'

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('the standard normal', () => {
  it('matches scipy.stats.norm in the middle and far in the tails', () => {
    expect(relative(normalQuantile(0.999), 3.090232306167813)).toBeLessThan(1e-12)
    expect(relative(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-12)
    expect(relative(normalQuantile(1e-10), -6.361340902404056)).toBeLessThan(1e-12)
    expect(relative(normalCdf(-7.5), 3.1908916729108844e-14)).toBeLessThan(1e-10)
    expect(relative(normalCdf(1.2345), 0.8914916766373298)).toBeLessThan(1e-13)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14)
  })

  it('Φ⁻¹ inverts Φ', () => {
    for (const x of [-8, -3.3, -1, -0.01, 0.2, 1.7, 5]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 8)
  })
})

describe('the beta quantile and the Clopper–Pearson bound', () => {
  it('matches the closed forms: Beta(1, 1) is uniform, Beta(a, 1) has CDF xᵃ, Beta(1, b) has CDF 1 − (1 − x)ᵇ', () => {
    expect(betaQuantile(0.3, 1, 1)).toBeCloseTo(0.3, 14)
    expect(relative(betaQuantile(0.05, 7, 1), 0.05 ** (1 / 7))).toBeLessThan(1e-13)
    expect(relative(betaQuantile(0.01, 1, 4), 1 - 0.99 ** (1 / 4))).toBeLessThan(1e-12)
    expect(incompleteBeta(0.4, 3, 1)).toBeCloseTo(0.064, 14)
  })

  it('matches scipy.stats.beta.ppf, including the large counts of a certificate', () => {
    expect(relative(betaQuantile(0.001, 990, 11), 0.9760361871553114)).toBeLessThan(1e-12)
    expect(relative(betaQuantile(0.05, 7, 4), 0.39337578389458766)).toBeLessThan(1e-12)
    expect(relative(betaQuantile(0.001, 1, 1000), 1.0004998330832417e-6)).toBeLessThan(1e-10)
    expect(relative(betaQuantile(0.5, 0.5, 0.5), 0.5)).toBeLessThan(1e-12)
    expect(relative(betaQuantile(1e-6, 99990, 11), 0.9996557632042139)).toBeLessThan(1e-12)
  })

  it('is Beta(k, n − k + 1) at α, α^(1/n) when every trial succeeded, and 0 when none did', () => {
    expect(relative(clopperPearsonLower(990, 1000, 0.001), 0.9760361871553114)).toBeLessThan(1e-12)
    expect(relative(clopperPearsonLower(1000, 1000, 0.001), 0.001 ** (1 / 1000))).toBeLessThan(1e-12)
    expect(clopperPearsonLower(0, 1000, 0.001)).toBe(0)
  })
})
