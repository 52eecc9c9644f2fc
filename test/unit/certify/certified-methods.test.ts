/**
 * CROWN and randomised smoothing record certified accuracies, not attack accuracies: the run detail
 * shows them with IBP in the certified-bounds section (no "drop"), each named in both languages.
 */
import { describe, expect, it } from 'vitest'
import { CERTIFIED_METHODS, isCertifiedBound } from '../../../src-main/api/certified'
import enLab from '../../../src-renderer/src/i18n/en-lab'
import zhCNLab from '../../../src-renderer/src/i18n/zh-CN-lab'

describe('certified methods', () => {
  it('CROWN and randomised smoothing are certified bounds beside IBP', () => {
    expect(['ibp', 'crown', 'smoothing'].every(isCertifiedBound)).toBe(true)
  })

  it('every certified method has a name in English and Chinese', () => {
    for (const method of CERTIFIED_METHODS) {
      expect((enLab.detail.certifiedMethods as Record<string, string>)[method]).toBeTruthy()
      expect((zhCNLab.detail.certifiedMethods as Record<string, string>)[method]).toBeTruthy()
    }
  })
})
