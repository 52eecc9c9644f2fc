/** The seed-shaped results table: one row per group of repeats, mean ± std, in CSV, Markdown and LaTeX. */
import { afterEach, describe, expect, it } from 'vitest'
import { formatResultsTable } from '../../../src-main/lab/store/export/table'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { addRun, freshLog, seedStudy, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

describe('results table', () => {
  it('renders the seed study as Markdown with the seed columns, mean ± std over 3 repeats and the masking verdict', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const md = formatResultsTable(buildResultsTable(lab.db, { ids }), 'md')
    const lines = md.trim().split('\n')
    expect(lines[0]).toBe(
      '| model / strategy | n | clean | FGSM (ε=8/255) | PGD (ε=8/255) | AutoAttack (ε=8/255) | suspected gradient masking |'
    )
    expect(lines).toHaveLength(2 + 4)
    // seed runs differ by ±0.2 points: the sample std of (x−0.2, x, x+0.2) is 0.2.
    expect(lines[2]).toBe('| Baseline | 3 | 93.4% ± 0.2% | 21.8% ± 0.2% | 18.3% ± 0.2% | 17.3% ± 0.2% | no |')
    expect(lines[5]).toBe(
      '| Gradient-mask toy | 3 | 92.1% ± 0.2% | 71.2% ± 0.2% masking | 19.1% ± 0.2% masking | 18.1% ± 0.2% masking | yes |'
    )
  })

  it('writes CSV with numeric mean and std columns that parse back to the values', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const csv = formatResultsTable(buildResultsTable(lab.db, { ids }), 'csv').trim().split('\n')
    const titles = ['clean', 'FGSM (ε=8/255)', 'PGD (ε=8/255)', 'AutoAttack (ε=8/255)']
    expect(csv[0]).toBe(
      [
        'model / strategy',
        'n',
        ...titles.flatMap((t) => [`${t} %`, `${t} std %`, `${t} n`, `${t} mark`]),
        'suspected gradient masking'
      ].join(',')
    )
    const toy = csv.find((l) => l.startsWith('Gradient-mask toy'))!.split(',')
    expect(toy.slice(6, 10)).toEqual(['71.2', '0.2', '3', 'masking'])
  })

  it('writes a booktabs LaTeX tabular with escaped text and $\\pm$', () => {
    lab = freshLog()
    addRun(lab.db, {
      name: 'run_1 & 100%',
      evals: [
        ['clean', 'Linf', 0, 0.9],
        ['fgsm', 'Linf', 2 / 255, 0.5]
      ]
    })
    const tex = formatResultsTable(buildResultsTable(lab.db, { ids: [1] }), 'latex')
    expect(tex).toContain('\\toprule')
    expect(tex).toContain('run\\_1 \\& 100\\% & 1 & 90.0\\% & 50.0\\% & not evaluated \\\\')
    expect(tex).toContain('FGSM ($\\varepsilon$=2/255)')
  })
})
