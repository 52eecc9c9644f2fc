/** The seed-shaped results table: one row per group of repeats, mean ± std, in CSV, Markdown and LaTeX. */
import { afterEach, describe, expect, it } from 'vitest'
import { compareRuns } from '../../../src-main/lab/store/compare'
import { formatResultsTable, resultsTable } from '../../../src-main/lab/store/export/table'
import { addRun, freshLog, seedStudy, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

describe('results table', () => {
  it('renders the seed study as Markdown with the seed columns, mean ± std over 3 repeats and the masking verdict', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const md = formatResultsTable(resultsTable(compareRuns(lab.db, { ids })), 'md')
    const lines = md.trim().split('\n')
    expect(lines[0]).toBe('| model / strategy | n | clean | FGSM (ε=8/255) | PGD (ε=8/255) | AutoAttack (ε=8/255) | suspected gradient masking |')
    expect(lines).toHaveLength(2 + 4)
    // seed runs differ by ±0.2 points: the sample std of (x−0.2, x, x+0.2) is 0.2.
    expect(lines[2]).toBe('| Baseline | 3 | 93.4% ± 0.2% | 21.8% ± 0.2% | 18.3% ± 0.2% | 17.3% ± 0.2% | no |')
    expect(lines[5]).toBe('| Gradient-mask toy | 3 | 92.1% ± 0.2% | 71.2% ± 0.2% | 19.1% ± 0.2% | 18.1% ± 0.2% | yes |')
  })

  it('writes CSV with numeric mean and std columns that parse back to the values', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const csv = formatResultsTable(resultsTable(compareRuns(lab.db, { ids })), 'csv').trim().split('\n')
    expect(csv[0]).toBe('model / strategy,n,clean %,clean std %,FGSM (ε=8/255) %,FGSM (ε=8/255) std %,PGD (ε=8/255) %,PGD (ε=8/255) std %,AutoAttack (ε=8/255) %,AutoAttack (ε=8/255) std %,suspected gradient masking')
    const toy = csv.find((l) => l.startsWith('Gradient-mask toy'))!.split(',')
    expect(Number(toy[4])).toBeCloseTo(71.2, 6)
    expect(Number(toy[5])).toBeCloseTo(0.2, 6)
  })

  it('writes a booktabs LaTeX tabular with escaped text and $\\pm$', () => {
    lab = freshLog()
    addRun(lab.db, { name: 'run_1 & 100%', evals: [['clean', 'Linf', 0, 0.9], ['fgsm', 'Linf', 2 / 255, 0.5]] })
    const tex = formatResultsTable(resultsTable(compareRuns(lab.db, { ids: [1] })), 'latex')
    expect(tex).toContain('\\toprule')
    expect(tex).toContain('run\\_1 \\& 100\\% & 1 & 90.0\\% & 50.0\\% & -- & -- & not evaluated \\\\')
    expect(tex).toContain('FGSM ($\\varepsilon$=2/255)')
  })

  it('falls back to the final test accuracy for the clean column and shows the asked-for ε', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', metrics: { 'test/accuracy': [0.5, 0.97] }, evals: [['fgsm', 'Linf', 2 / 255, 0.6], ['fgsm', 'Linf', 8 / 255, 0.1]] })
    const t = resultsTable(compareRuns(lab.db, { ids: [a] }), 2 / 255)
    expect(t.rows[0].cells[0]?.mean).toBe(0.97)
    expect(t.rows[0].cells[1]?.mean).toBe(0.6)
    expect(resultsTable(compareRuns(lab.db, { ids: [a] })).rows[0].cells[1]?.mean).toBe(0.1)
  })
})
