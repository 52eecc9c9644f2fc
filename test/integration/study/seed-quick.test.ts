/**
 * The seed study's qualitative result, reproduced by a reduced seed-quick (1 seed, small subsets)
 * through the real lab service: FGSM brings the baseline far below its clean accuracy; distillation
 * raises FGSM accuracy above the baseline's while AutoAttack takes it far below its own FGSM
 * accuracy; the gradient-truncation toy has the highest FGSM accuracy and an AutoAttack accuracy
 * near the baseline's; the masking verdicts are no (baseline), yes (toy), possible or yes
 * (distillation). The same numbers reach the report in every format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StudyReport } from '../../../src-main/api/studies'
import { testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
let report: StudyReport
let markdown: string
const progress: number[] = []

beforeAll(async () => {
  t = testLab('seed-quick')
  t.api.on('studies.progress', (e) => progress.push(e.fraction))
  const study = await t.api.request('studies.start', {
    preset: 'seed-quick',
    scale: { seeds: 1, trainImages: 3000, testImages: 200, evalImages: 60 }
  })
  const final = await new Promise<string>((resolve) => {
    const poll = setInterval(async () => {
      const s = await t.api.request('studies.get', { id: study.id })
      if (s.status !== 'running') {
        clearInterval(poll)
        resolve(s.status)
      }
    }, 1000)
  })
  expect(final).toBe('completed')
  const r = await t.api.request('studies.report', { id: study.id, format: 'md' })
  report = r.report
  markdown = r.text!
}, 1_800_000)
afterAll(() => t?.close())

const row = (arm: string) => report.rows.find((r) => r.arm === arm)!
const fgsm = (arm: string) => row(arm).fgsm.at(-1)!.mean // at the headline ε = 0.3
const aa = (arm: string) => row(arm).autoattack!.mean

describe('reduced seed-quick', () => {
  it('records every run of the study and reports progress up to the end', async () => {
    const study = await t.api.request('studies.get', { id: report.study.id })
    expect(
      study.members
        .filter((m) => m.role === 'model')
        .map((m) => m.arm)
        .sort()
    ).toEqual(['baseline', 'distillation', 'distillation-pgd', 'toy'])
    expect(study.members.every((m) => m.status === 'completed')).toBe(true)
    expect(study.runs).toMatchObject({ total: 13, completed: 13, failed: 0 })
    expect(progress.at(-1)).toBe(1)
  })

  it('baseline: FGSM accuracy far below clean accuracy; verdict no', () => {
    expect(fgsm('baseline')).toBeLessThan(row('baseline').clean!.mean - 0.3)
    expect(row('baseline').verdict).toBe('no')
  })

  it('distillation: FGSM accuracy above the baseline’s, AutoAttack far below its own FGSM; verdict possible or yes', () => {
    expect(fgsm('distillation')).toBeGreaterThan(fgsm('baseline'))
    expect(aa('distillation')).toBeLessThan(fgsm('distillation') - 0.2)
    expect(['possible', 'yes']).toContain(row('distillation').verdict)
  })

  it('toy: the highest FGSM accuracy, AutoAttack near the baseline’s; verdict yes', () => {
    for (const arm of ['baseline', 'distillation', 'distillation-pgd']) expect(fgsm('toy')).toBeGreaterThan(fgsm(arm))
    expect(Math.abs(aa('toy') - aa('baseline'))).toBeLessThanOrEqual(0.1)
    expect(row('toy').verdict).toBe('yes')
  })

  it('the report shows the seed-shaped table, the checks that fired and a reading that names the masking', () => {
    expect(markdown).toContain(
      '| model / strategy | n | clean | FGSM (ε=0.1) | FGSM (ε=0.2) | FGSM (ε=0.3) | PGD (ε=0.3) | AutoAttack (ε=0.3) | suspected gradient masking |'
    )
    for (const r of report.rows) expect(markdown).toContain(`| ${r.label} | 1 | ${(r.clean!.mean * 100).toFixed(1)}% |`)
    expect(row('toy').fired.length).toBeGreaterThanOrEqual(2)
    const toyLine = report.reading.find((s) => s.startsWith('Gradient-mask toy'))!
    expect(toyLine).toContain('the gain is masking')
    expect(toyLine).toContain(`check${row('toy').fired.length > 1 ? 's' : ''} ${row('toy').fired[0].id}`)
    expect(report.curves.find((c) => c.arm === 'baseline' && c.attack === 'FGSM')!.points.map((p) => p.epsilon)).toEqual([0.1, 0.2, 0.3])
  })

  it('writes the same table as HTML (with inline SVG ε-curves), CSV and LaTeX', async () => {
    const html = (await t.api.request('studies.report', { id: report.study.id, format: 'html' })).text!
    expect(html).toContain('<svg')
    expect(html).toContain('Gradient-mask toy')
    const csv = (await t.api.request('studies.report', { id: report.study.id, format: 'csv' })).text!.trim().split('\n')
    expect(csv).toHaveLength(5)
    expect(csv[1].split(',')[0]).toBe('Baseline')
    expect(Number(csv[1].split(',')[2])).toBeCloseTo(row('baseline').clean!.mean * 100, 1)
    const latex = (await t.api.request('studies.report', { id: report.study.id, format: 'latex' })).text!
    expect(latex).toContain('\\toprule')
    expect(latex).toContain('Defensive distillation')
  })
})
