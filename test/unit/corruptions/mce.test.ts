/**
 * The mean corruption error (Hendrycks & Dietterich 2019, §4.1) against numbers worked by hand.
 */
import { describe, expect, it } from 'vitest'
import { meanCorruptionError } from '../../../src-main/lab/corruptions/mce'

describe('mCE', () => {
  it('is the mean over corruptions of Σ_s model errors / Σ_s baseline errors; relative mCE subtracts each clean error', () => {
    const r = meanCorruptionError({
      model: { fog: [0.1, 0.2, 0.3], jpeg: [0.05, 0.05, 0.1] },
      baseline: { fog: [0.2, 0.4, 0.6], jpeg: [0.1, 0.2, 0.2] },
      cleanError: { model: 0.05, baseline: 0.1 }
    })
    // fog: 0.6 / 1.2 = 0.5; jpeg: 0.2 / 0.5 = 0.4; mean 0.45.
    expect(r.perCorruption.fog.ce).toBeCloseTo(0.5, 12)
    expect(r.perCorruption.jpeg.ce).toBeCloseTo(0.4, 12)
    expect(r.mce).toBeCloseTo(0.45, 12)
    // relative: fog (0.05 + 0.15 + 0.25) / (0.1 + 0.3 + 0.5) = 0.5; jpeg (0 + 0 + 0.05) / (0 + 0.1 + 0.1) = 0.25.
    expect(r.perCorruption.fog.relativeCe).toBeCloseTo(0.5, 12)
    expect(r.perCorruption.jpeg.relativeCe).toBeCloseTo(0.25, 12)
    expect(r.relativeMce).toBeCloseTo(0.375, 12)
  })

  it('is 100 % for the baseline against itself', () => {
    const errors = { fog: [0.1, 0.3], contrast: [0.2, 0.5] }
    expect(meanCorruptionError({ model: errors, baseline: errors, cleanError: { model: 0.05, baseline: 0.05 } }).mce).toBeCloseTo(1, 12)
  })

  it('leaves out a corruption the baseline never errs on, instead of dividing by zero', () => {
    const r = meanCorruptionError({
      model: { fog: [0.1], jpeg: [0.2] },
      baseline: { fog: [0], jpeg: [0.4] },
      cleanError: { model: 0, baseline: 0 }
    })
    expect(r.perCorruption.fog.ce).toBeNull()
    expect(r.mce).toBeCloseTo(0.5, 12)
  })
})
