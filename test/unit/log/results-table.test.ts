/**
 * The one results table behind Compare, `lab compare`, every export and the Runs table: its rules
 * (repeats, n, ±, columns per attack × ε, ★, clean accuracy, partial results) on a real log.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import { type ResultsTable } from '../../../src-main/api/results-table'
import { cellValueText } from '../../../src-main/api/results-text'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { formatResultsTable } from '../../../src-main/lab/store/export/table'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import fs from 'node:fs'
import path from 'node:path'
import { listEvaluations, writeEvalRecord } from '../../../src-main/lab/store/evaluations'
import { exportMlflow } from '../../../src-main/lab/store/export/mlflow'
import { exportTensorBoard } from '../../../src-main/lab/store/export/tensorboard'
import { addRun, baseConfig, freshLog, seedStudy, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

const column = (t: ResultsTable, title: string): number => t.columns.findIndex((c) => c.title === title)
const cell = (t: ResultsTable, row: string, title: string) => t.rows.find((r) => r.label === row)!.cells[column(t, title)]
/** The CSV's cells by row label and header name: what a spreadsheet would read. */
function csvCells(text: string): Map<string, Record<string, string>> {
  const [head, ...lines] = text
    .trim()
    .split('\n')
    .map((l) => l.split(','))
  return new Map(lines.map((l) => [l[0], Object.fromEntries(head.map((h, i) => [h, l[i]]))]))
}

/** Results of an evaluation run that ended with `status` (cancelled, failed, …), written as the job writes them. */
function evaluationEnded(
  db: Database.Database,
  modelRunId: number,
  status: 'cancelled' | 'failed' | 'completed',
  results: Array<[string, number, number]>
): number {
  const id = createRun(db, { name: `eval of ${modelRunId}`, kind: 'eval', config: { runId: modelRunId }, seed: 0 })
  setRunStatus(db, id, 'running', { backend: 'wasm' })
  for (const [attack, epsilon, accuracy] of results)
    writeEvalRecord(db, id, {
      type: 'result',
      runId: modelRunId,
      attack,
      norm: 'Linf',
      epsilon,
      seed: 0,
      n: 100,
      accuracy,
      cleanAccuracy: null,
      params: {},
      seconds: null
    })
  setRunStatus(db, id, status)
  return id
}

describe('results table', () => {
  it('groups repeats (same config but the seed) into one row with mean ± std over its runs', () => {
    lab = freshLog()
    const { ids, groups } = seedStudy(lab.db)
    const t = buildResultsTable(lab.db, { ids })
    expect(t.rows.map((r) => r.label)).toEqual(['Baseline', 'Defensive distill', 'Distill + PGD 5-step', 'Gradient-mask toy'])
    expect(t.rows[3].runIds).toEqual(groups['Gradient-mask toy'])
    const fgsm = cell(t, 'Gradient-mask toy', 'FGSM (ε=8/255)')!
    expect([fgsm.n, fgsm.of]).toEqual([3, 3])
    expect(fgsm.mean).toBeCloseTo(0.712, 12)
    expect(fgsm.std).toBeCloseTo(0.002, 12)
    expect(cellValueText(fgsm)).toBe('71.2% ± 0.2%')
  })

  it('shows one clean accuracy on screen and in the CSV: the clean evaluation, not the training metric', () => {
    lab = freshLog()
    // Training ended at 93.3 % on the full test set; the evaluation measured 95.0 % on its subset.
    const id = addRun(lab.db, {
      name: 'baseline',
      metrics: { 'test/accuracy': [0.5, 0.933] },
      evals: [
        ['clean', 'Linf', 0, 0.95],
        ['fgsm', 'Linf', 8 / 255, 0.3]
      ]
    })
    const t = buildResultsTable(lab.db, { ids: [id] })
    const screen = cellValueText(cell(t, 'baseline', 'clean'))
    const csv = csvCells(formatResultsTable(t, 'csv')).get('baseline')!
    expect(screen).toBe('95.0%')
    expect(`${csv['clean %']}%`).toBe(screen)
    expect(cell(t, 'baseline', 'clean')!.source).toBe('evaluation')
    expect(t.headlines[0].clean).toBe(0.95)
  })

  it('falls back to the final test/accuracy for the clean column of a run never evaluated clean', () => {
    lab = freshLog()
    const id = addRun(lab.db, { name: 'a', metrics: { 'test/accuracy': [0.5, 0.97] } })
    const clean = cell(buildResultsTable(lab.db, { ids: [id] }), 'a', 'clean')!
    expect([clean.mean, clean.source]).toEqual([0.97, 'training'])
  })

  it('counts as n only the repeats that have the cell: one evaluated seed of two is n = 1 with no std', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'distilled seed 0', seed: 0, evals: [['fgsm', 'Linf', 8 / 255, 0.5]] })
    const b = addRun(lab.db, { name: 'distilled seed 1', seed: 1 })
    const t = buildResultsTable(lab.db, { ids: [a, b] })
    const fgsm = cell(t, 'distilled', 'FGSM (ε=8/255)')!
    expect([fgsm.n, fgsm.of]).toEqual([1, 2])
    expect(cellValueText(fgsm)).toBe('50.0% (1 of 2 runs)')
    const csv = csvCells(formatResultsTable(t, 'csv')).get('distilled')!
    expect(csv['FGSM (ε=8/255) n']).toBe('1')
    expect(csv['FGSM (ε=8/255) std %']).toBe('')
  })

  it('writes a single value as "95.0%", never "95.0% ± 0.0%", even when its evaluation ran two seeds', () => {
    lab = freshLog()
    const id = addRun(lab.db, { name: 'one', evals: [['fgsm', 'Linf', 8 / 255, 0.95]] })
    writeEvalRecord(lab.db, id, {
      type: 'result',
      runId: id,
      attack: 'fgsm',
      norm: 'Linf',
      epsilon: 8 / 255,
      seed: 1,
      n: 1000,
      accuracy: 0.95,
      cleanAccuracy: null,
      params: {},
      seconds: null
    })
    const t = buildResultsTable(lab.db, { ids: [id] })
    expect(cellValueText(cell(t, 'one', 'FGSM (ε=8/255)'))).toBe('95.0%')
    expect(formatResultsTable(t, 'md')).not.toContain('± 0.0%')
  })

  it('gives each attack its own ε columns, so no global maximum ε blanks another attack’s cells', () => {
    lab = freshLog()
    const a = addRun(lab.db, {
      name: 'a',
      evals: [
        ['fgsm', 'Linf', 0.1, 0.6],
        ['pgd', 'Linf', 0.1, 0.4]
      ]
    })
    const b = addRun(lab.db, { name: 'b', config: baseConfig({ epochs: 2 }), evals: [['fgsm', 'Linf', 0.3, 0.2]] })
    const t = buildResultsTable(lab.db, { ids: [a, b] })
    expect(t.columns.map((c) => c.title)).toEqual(['clean', 'FGSM (ε=0.1)', 'FGSM (ε=0.3)', 'PGD (ε=0.1)'])
    expect(cellValueText(cell(t, 'a', 'PGD (ε=0.1)'))).toBe('40.0%')
    expect(cellValueText(cell(t, 'a', 'FGSM (ε=0.1)'))).toBe('60.0%')
    // The user narrows an attack to the ε they choose; the other attacks keep theirs.
    const chosen = buildResultsTable(lab.db, { ids: [a, b], epsilons: { fgsm: [0.3] } })
    expect(chosen.columns.map((c) => c.title)).toEqual(['clean', 'FGSM (ε=0.3)', 'PGD (ε=0.1)'])
    expect(chosen.available.find((x) => x.attack === 'fgsm')!.epsilons).toEqual([0.1, 0.3])
    // A common ε keeps the attacks run at it.
    expect(buildResultsTable(lab.db, { ids: [a, b], epsilon: 0.1 }).columns.map((c) => c.title)).toEqual([
      'clean',
      'FGSM (ε=0.1)',
      'PGD (ε=0.1)'
    ])
  })

  it('never awards ★ to a row suspected of masking: its attack cells are marked "masking" instead', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const t = buildResultsTable(lab.db, { ids })
    const toy = t.rows.find((r) => r.label === 'Gradient-mask toy')!
    for (const c of toy.cells.slice(1)) expect(c!.marks).toEqual(['masking'])
    for (const c of t.rows.find((r) => r.label === 'Defensive distill')!.cells.slice(1)) expect(c!.marks).toEqual(['masking'])
    expect(t.rows.flatMap((r) => r.cells.flatMap((c) => c!.marks))).not.toContain('best')
    expect(formatResultsTable(t, 'md')).toContain('| Gradient-mask toy | 3 | 92.1% ± 0.2% | 71.2% ± 0.2% masking |')
  })

  it('awards ★ to the highest mean among rows not suspected, whatever a masked row scores', () => {
    lab = freshLog()
    const honest = (name: string, epochs: number, fgsm: number) =>
      addRun(lab.db, {
        name,
        config: baseConfig({ epochs }),
        evals: [['fgsm', 'Linf', 8 / 255, fgsm]],
        verdict: { verdict: 'no', fired: [] }
      })
    const ids = [
      honest('a', 1, 0.3),
      honest('b', 2, 0.5),
      addRun(lab.db, {
        name: 'toy',
        config: baseConfig({ epochs: 3 }),
        evals: [['fgsm', 'Linf', 8 / 255, 0.9]],
        verdict: { verdict: 'yes', fired: [1] }
      })
    ]
    const t = buildResultsTable(lab.db, { ids })
    expect(t.rows.map((r) => r.cells[column(t, 'FGSM (ε=8/255)')]!.marks)).toEqual([[], ['best'], ['masking']])
    expect(formatResultsTable(t, 'md')).toContain('| b | 1 | — | 50.0% ★ | no |')
  })

  it('awards no ★ to a tie at 0 %', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', evals: [['autoattack', 'Linf', 8 / 255, 0]], verdict: { verdict: 'no', fired: [] } })
    const b = addRun(lab.db, {
      name: 'b',
      config: baseConfig({ epochs: 2 }),
      evals: [['autoattack', 'Linf', 8 / 255, 0]],
      verdict: { verdict: 'no', fired: [] }
    })
    const t = buildResultsTable(lab.db, { ids: [a, b] })
    expect(t.rows.map((r) => r.cells[column(t, 'AutoAttack (ε=8/255)')]!.marks)).toEqual([[], []])
  })
})

describe('partial results', () => {
  it('keeps a cancelled evaluation’s ε = 5 results out of the robust accuracy, the columns and the exports', () => {
    lab = freshLog()
    const model = addRun(lab.db, {
      name: 'model',
      evals: [
        ['clean', 'Linf', 0, 0.95],
        ['fgsm', 'Linf', 8 / 255, 0.4]
      ]
    })
    const cancelled = evaluationEnded(lab.db, model, 'cancelled', [
      ['fgsm', 5, 0],
      ['pgd', 5, 0]
    ])
    const t = buildResultsTable(lab.db, { ids: [model] })
    expect(t.headlines[0].robust).toMatchObject({ accuracy: 0.4, attack: 'fgsm', epsilon: 8 / 255 })
    expect(t.columns.map((c) => c.title)).toEqual(['clean', 'FGSM (ε=8/255)'])
    expect(t.partial).toEqual([
      { runId: model, evalRunId: cancelled, status: 'cancelled', attack: 'fgsm', norm: 'Linf', epsilon: 5 },
      { runId: model, evalRunId: cancelled, status: 'cancelled', attack: 'pgd', norm: 'Linf', epsilon: 5 }
    ])
    for (const format of ['csv', 'md', 'latex'] as const) expect(formatResultsTable(t, format)).not.toMatch(/ε=5/)
  })

  it('shows partial results only when asked, marked partial with the evaluation’s status, never ★ and never a headline', () => {
    lab = freshLog()
    const model = addRun(lab.db, { name: 'model', evals: [['fgsm', 'Linf', 8 / 255, 0.4]] })
    const other = addRun(lab.db, { name: 'other', config: baseConfig({ epochs: 2 }), evals: [['pgd', 'Linf', 5, 0.1]] })
    evaluationEnded(lab.db, model, 'failed', [['pgd', 5, 0.9]])
    const t = buildResultsTable(lab.db, { ids: [model, other], includePartial: true })
    const pgd = cell(t, 'model', 'PGD (ε=5)')!
    expect(pgd.marks).toEqual(['partial'])
    expect(pgd.partialStatuses).toEqual(['failed'])
    expect(cell(t, 'other', 'PGD (ε=5)')!.marks).toEqual([])
    expect(formatResultsTable(t, 'md')).toContain('90.0% partial (failed)')
    expect(t.headlines[0].robust).toMatchObject({ accuracy: 0.4, epsilon: 8 / 255 })
  })

  it('lets a completed evaluation supersede an older one of the same cell and ignores a newer cancelled one', () => {
    lab = freshLog()
    const model = addRun(lab.db, { name: 'model', evals: [['fgsm', 'Linf', 8 / 255, 0.4]] })
    evaluationEnded(lab.db, model, 'completed', [['fgsm', 8 / 255, 0.3]])
    evaluationEnded(lab.db, model, 'cancelled', [['fgsm', 8 / 255, 0.9]])
    expect(cell(buildResultsTable(lab.db, { ids: [model] }), 'model', 'FGSM (ε=8/255)')!.mean).toBe(0.3)
  })

  it('lists a run’s own results with a cancelled evaluation marked partial, never superseding a completed one', () => {
    lab = freshLog()
    const model = addRun(lab.db, { name: 'model', evals: [['fgsm', 'Linf', 8 / 255, 0.4]] })
    evaluationEnded(lab.db, model, 'cancelled', [
      ['fgsm', 8 / 255, 0.9],
      ['pgd', 5, 0]
    ])
    const rows = listEvaluations(lab.db, model)
    expect(rows.map((r) => [r.attack, r.accuracy, r.partialStatus])).toEqual([
      ['fgsm', 0.4, undefined],
      ['pgd', 0, 'cancelled']
    ])
  })

  it('leaves a cancelled evaluation out of the MLflow and TensorBoard exports too', () => {
    lab = freshLog()
    const model = addRun(lab.db, { name: 'model', evals: [['fgsm', 'Linf', 8 / 255, 0.4]] })
    evaluationEnded(lab.db, model, 'cancelled', [['pgd', 5, 0]])
    const mlflow = exportMlflow(lab.db, lab.dir, [model], path.join(lab.dir, 'mlruns'), 'AdvLab')
    const files = fs.readdirSync(mlflow.path, { recursive: true }).map(String)
    expect(files.some((f) => f.includes(path.join('eval', 'fgsm')))).toBe(true)
    expect(files.some((f) => f.includes(path.join('eval', 'pgd')))).toBe(false)
    const tb = exportTensorBoard(lab.db, [model], path.join(lab.dir, 'tb'))
    const events = fs.readFileSync(tb.files[0]).toString('latin1')
    expect(events).toContain('eval/fgsm/Linf')
    expect(events).not.toContain('eval/pgd/Linf')
  })
})
