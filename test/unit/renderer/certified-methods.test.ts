/** Every certified method (api/certified.ts) has a name in both languages for the run detail's certified section. */
import { describe, expect, it } from 'vitest'
import { CERTIFIED_METHODS } from '@api/certified'
import { flatten, type Tree } from './messageKeys'
import { loadRenderer } from './loadRenderer'

const en = flatten((await loadRenderer<{ default: Tree }>('i18n/en')).default)
const zhCN = flatten((await loadRenderer<{ default: Tree }>('i18n/zh-CN')).default)

describe('certified methods in the messages', () => {
  it('IBP, CROWN and randomised smoothing are named in English and Chinese', () => {
    expect([...CERTIFIED_METHODS]).toEqual(['ibp', 'crown', 'smoothing'])
    for (const method of CERTIFIED_METHODS)
      for (const messages of [en, zhCN]) expect(messages.has(`detail.certifiedMethods.${method}`)).toBe(true)
  })
})
