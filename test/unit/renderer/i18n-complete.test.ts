/**
 * Both languages are complete: every key in one exists in the other, with the same placeholders
 * and the same number of plural forms, and no text is left empty.
 */
import { describe, expect, it } from 'vitest'
import { flatten, type Tree } from './messageKeys'
import { loadRenderer } from './loadRenderer'
import { RUN_KINDS, RUN_STATUSES } from '../../../src-main/api/runs'
import { BUDGETS, VERDICTS } from '../../../src-main/api/evaluation'
import { STUDY_PRESETS, STUDY_STATUSES } from '../../../src-main/api/studies'
import { ARCHITECTURES, DISTILL_LOSSES } from '../../../src-main/api/train'
import { DATASET_FORMATS } from '../../../src-main/api/datasets'

const en = (await loadRenderer<{ default: Tree }>('i18n/en')).default
const zhCN = (await loadRenderer<{ default: Tree }>('i18n/zh-CN')).default

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const pluralForms = (text: string) => text.split('|').length

describe('UI text in English and 简体中文', () => {
  const english = flatten(en)
  const chinese = flatten(zhCN)

  it('the key comparison itself notices a key that exists in only one language', () => {
    const a = flatten({ home: { title: 'Home', extra: 'only here' } })
    const b = flatten({ home: { title: '首页' } })
    expect([...a.keys()].filter((k) => !b.has(k))).toEqual(['home.extra'])
  })

  it('every run kind of the contract has a name (an imported model showed the raw key runs.kinds.import)', () => {
    expect(RUN_KINDS.filter((kind) => !english.has(`runs.kinds.${kind}`))).toEqual([])
  })

  /**
   * The screens list these choices straight from the contract and name each with t(`family.${value}`),
   * which no literal-key check can see: the evaluation wizard showed the raw key
   * wizard.eval.budgets.thorough when the contract gained a budget the messages did not have.
   */
  it('every choice the contract lists has its text in both languages', () => {
    const families: [string, readonly string[]][] = [
      ['wizard.eval.budgets', BUDGETS],
      ['wizard.eval.budgetHint', BUDGETS],
      ['verdicts', VERDICTS],
      ['runs.statuses', RUN_STATUSES],
      ['studies.statuses', STUDY_STATUSES],
      ['studies.presets', STUDY_PRESETS.map((id) => `${id}.title`)],
      ['studies.presets', STUDY_PRESETS.map((id) => `${id}.description`)],
      ['wizard.archHint', ARCHITECTURES],
      ['wizard.distill.lossName', DISTILL_LOSSES],
      ['wizard.distill.lossHint', DISTILL_LOSSES],
      ['datasets.formats', DATASET_FORMATS],
      ['maskingChecks', [1, 2, 3, 4, 5, 6, 7, 8].map((id) => `c${id}`)]
    ]
    const missing = families.flatMap(([family, values]) =>
      values.flatMap((value) =>
        [english, chinese].filter((m) => !m.has(`${family}.${value}`)).map((m) => `${family}.${value} (${m === english ? 'en' : 'zh-CN'})`)
      )
    )
    expect(missing).toEqual([])
  })

  it('every English key exists in 简体中文', () => {
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([])
  })

  it('every 简体中文 key exists in English', () => {
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([])
  })

  it('each text has the same placeholders and plural forms in both languages', () => {
    const mismatches: string[] = []
    for (const [key, text] of english) {
      const other = chinese.get(key)
      if (other === undefined) continue
      if (placeholders(text).join() !== placeholders(other).join())
        mismatches.push(`${key}: {${placeholders(text)}} vs {${placeholders(other)}}`)
      if (pluralForms(text) !== pluralForms(other)) mismatches.push(`${key}: ${pluralForms(text)} vs ${pluralForms(other)} plural forms`)
    }
    expect(mismatches).toEqual([])
  })

  it('no text is empty', () => {
    const empty = [...english, ...chinese].filter(([, text]) => text.trim() === '').map(([key]) => key)
    expect(empty).toEqual([])
  })

  it('every error code of the contract has a heading in both languages', async () => {
    const { ApiErrorSchema } = await import('@api/errors')
    const codes = ApiErrorSchema.shape.code.options
    const missing = codes.flatMap((code) => [english, chinese].filter((m) => !m.has(`errors.codes.${code}`)).map(() => code))
    expect(missing).toEqual([])
  })
})

describe('a reduced study’s cuts, worded by the screen from the service’s facts', async () => {
  const { studyCutFacts, studyCuts } = await import('../../../src-main/lab/study/cuts')
  const { resolvePreset } = await import('../../../src-main/lab/study/presets')
  const { studyCutText } = await loadRenderer<{ studyCutText(cut: unknown, words: { t: unknown; te: unknown; locale: string }): string }>(
    'composables/useStudyText'
  )
  const { createAppI18n } = await loadRenderer<{ createAppI18n(language: string): { global: { t: unknown; te: unknown } } }>('i18n/index')
  const plan = resolvePreset('seed-quick', 'mnist', { seeds: 1, trainImages: 3000, evalImages: 60 }).plan
  const say = (language: string) => {
    const { t, te } = createAppI18n(language).global
    return studyCutFacts(plan).map((cut) => studyCutText(cut, { t, te, locale: language }))
  }

  it('in English, say what the exported report says (the study screen showed these in English only)', () => {
    const screen = say('en')
    // The user's own reductions are named by their fields' labels ("training images"), not the keys (trainImages).
    expect(screen.slice(0, -1).map((s) => s.toLowerCase())).toEqual(
      studyCuts(plan)
        .slice(0, -1)
        .map((s) => s.toLowerCase())
    )
    expect(screen.at(-1)).toBe(
      'reduced further for this run: Seeds 1 (preset: 3), Training images 3,000 (preset: 6,000), Images per evaluation 60 (preset: 100)'
    )
  })

  it('in 简体中文, say it in Chinese with the same numbers', () => {
    const chinese = say('zh-CN')
    expect(chinese).toHaveLength(studyCuts(plan).length)
    expect(chinese.join(' ')).toMatch(/[\u4e00-\u9fff]/)
    expect(chinese.join(' ')).toContain('3,000')
    expect(chinese.filter((s) => /stratified|the write-up|per model/.test(s))).toEqual([])
  })
})

describe('a results cell’s words in the user’s language, its numbers the contract’s', async () => {
  const { cellValueText, cellMarkText } = await import('@api/results-text')
  const { cellValueWords, cellMarkWords } = await loadRenderer<{
    cellValueWords(cell: unknown, words: { t: unknown }): string
    cellMarkWords(cell: unknown, words: { t: unknown }): string
  }>('composables/useCellText')
  const { createAppI18n } = await loadRenderer<{ createAppI18n(language: string): { global: { t: unknown } } }>('i18n/index')
  const cells = [
    { mean: 0.934, std: 0.002, n: 3, of: 3, runIds: [1, 2, 3], partialStatuses: [], marks: ['best'] },
    { mean: 0.05, std: 0, n: 1, of: 2, runIds: [4], partialStatuses: ['cancelled'], marks: ['masking', 'partial'] },
    null
  ] as const

  it('in English, exactly what Compare and the exports write', () => {
    const { t } = createAppI18n('en').global
    expect(cells.map((c) => cellValueWords(c, { t }))).toEqual(cells.map((c) => cellValueText(c as never)))
    expect(cells.map((c) => cellMarkWords(c, { t }))).toEqual(cells.map((c) => cellMarkText(c as never)))
  })

  it('in 简体中文, "(1 of 2 runs)", "masking" and "partial (cancelled)" are Chinese; the numbers stay', () => {
    const { t } = createAppI18n('zh-CN').global
    expect(cellValueWords(cells[1], { t })).toBe('5.0%（2 次运行中的 1 次）')
    expect(cellMarkWords(cells[1], { t })).toBe('掩蔽 部分（已取消）')
    expect(cellValueWords(cells[0], { t })).toBe('93.4% ± 0.2%')
  })
})
