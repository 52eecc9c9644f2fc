/**
 * CROWN and randomised smoothing record certified accuracies, not attack accuracies: the run detail
 * shows them with IBP in the certified-bounds section (no "drop"); their names in both languages are
 * checked with the renderer's messages (test/unit/renderer/certified-methods.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { isCertifiedBound } from '../../../src-main/api/certified'

describe('certified methods', () => {
  it('CROWN and randomised smoothing are certified bounds beside IBP', () => {
    expect(['ibp', 'crown', 'smoothing'].every(isCertifiedBound)).toBe(true)
  })
})
