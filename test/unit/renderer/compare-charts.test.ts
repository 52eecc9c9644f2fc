/**
 * Compare's charts as pure functions: ε-curves read from the results table (display names, clean
 * at ε = 0, one norm per chart, an outlier ε not squeezing the rest, no paged legend), parallel
 * coordinates only over settings that vary, aligned across run kinds, coloured by a result, with
 * whole axis names; TensorBoard smoothing and steps read as epochs.
 */
import { describe, expect, it } from 'vitest'
import type { Comparison } from '@api/compare'
import type { ResultCell, ResultsTable, RunHeadline } from '@api/results-table'
import { loadRenderer } from './loadRenderer'

type Option = Record<string, any>
const curves = await loadRenderer<{
  curvesFromTable(t: ResultsTable | null): { norm: string; curves: { label: string; points: { epsilon: number; accuracy: number }[] }[] }[]
}>('runs/epsilonCurves')
const options = await loadRenderer<{
  epsilonCurvesOption(
    c: { label: string; colour: string; points: { epsilon: number; accuracy: number }[] }[],
    titles: { epsilon: string; accuracy: string }
  ): Option
  parallelCoordinatesOption(axes: unknown[], runs: unknown[], colourBy: string | null): Option
  metricOverlayOption(lines: unknown[], titles: { x: string; y: string }, log: boolean): Option
}>('charts/compareOptions')
const axes = await loadRenderer<{
  compareAxes(
    c: Comparison,
    h: RunHeadline[]
  ): { axes: { key: string; numeric: boolean; result: boolean }[]; runs: { id: number; values: Record<string, unknown> }[] }
  CLEAN: string
  ROBUST: string
}>('runs/compareAxes')
const smoothing = await loadRenderer<{
  smooth(v: number[], w: number): number[]
  stepsToEpochs(s: number[], ends: number[]): number[] | null
  stepsToSeconds(s: number[], t: { steps: number[]; seconds: number[] }): number[] | null
}>('charts/smoothing')

const cell = (mean: number): ResultCell => ({ mean, std: 0, n: 1, of: 1, runIds: [1], partialStatuses: [], marks: [] })
const column = (attack: string, norm: string | null, epsilon: number | null) => ({
  key: `${attack}|${norm}|${epsilon}`,
  attack,
  norm,
  epsilon,
  title: attack
})

describe('ε-curves from the results table', () => {
  const table: ResultsTable = {
    columns: [
      column('clean', null, null),
      column('pgd-curve', 'Linf', 0.1),
      column('pgd-curve', 'Linf', 0.3),
      column('fgsm', 'Linf', 5),
      column('pgd', 'L2', 1)
    ],
    rows: [
      { label: 'baseline', configHash: 'h', runIds: [1], cells: [cell(0.98), cell(0.6), cell(0.1), cell(0), cell(0.4)], verdict: null }
    ],
    available: [],
    includePartial: false,
    partial: [],
    headlines: []
  }
  const byNorm = curves.curvesFromTable(table)

  it('names attacks by their display names and starts each curve at the row’s clean accuracy', () => {
    const linf = byNorm.find((n) => n.norm === 'Linf')!.curves
    expect(linf.map((c) => c.label)).toEqual(['baseline · PGD ε-curve', 'baseline · FGSM'])
    expect(linf[0].points).toEqual([
      { epsilon: 0, accuracy: 0.98 },
      { epsilon: 0.1, accuracy: 0.6 },
      { epsilon: 0.3, accuracy: 0.1 }
    ])
  })

  it('never puts an L2 ε on the axis of an L∞ ε', () => {
    expect(byNorm.map((n) => n.norm)).toEqual(['Linf', 'L2'])
  })

  it('spaces the ε values evenly, so one outlier at ε = 5 does not squeeze the others, and has no paged legend', () => {
    const linf = byNorm[0].curves.map((c) => ({ label: c.label, colour: '#000', points: c.points }))
    const option = options.epsilonCurvesOption(linf, { epsilon: 'ε', accuracy: 'accuracy' })
    expect(option.xAxis.type).toBe('category')
    expect(option.xAxis.data).toEqual(['0', '0.1', '0.3', '5'])
    expect(option.legend).toBeUndefined()
    expect(option.series[0].data).toEqual([0.98, 0.6, 0.1, null])
  })
})

function comparison(): Comparison {
  const runs = [
    { id: 1, name: 'baseline', kind: 'train' },
    { id: 2, name: 'student', kind: 'distill' }
  ].map((r) => ({
    ...r,
    status: 'completed' as const,
    seed: 0,
    configHash: '',
    createdAt: '',
    dataset: 'mnist',
    arch: 'mlp',
    defence: 'none',
    tags: [],
    note: '',
    starred: false,
    archived: false
  }))
  const row = (key: string, values: unknown[]) => ({ key, values, differs: true })
  return {
    runs,
    config: [
      row('optimizer.lr', [0.1, null]),
      row('student.optimizer.lr', [null, 0.02]),
      row('epochs', [3, null]),
      row('student.epochs', [null, 3]),
      row('teacher.optimizer.lr', [null, 0.5]),
      row('teacherRunId', [null, 7]),
      row('name', ['a', 'b']),
      row('optimizer.kind', ['sgd', null]),
      row('student.optimizer.kind', [null, 'adam'])
    ],
    finalMetrics: [{ name: 'test/accuracy', values: [0.9, 0.8] }],
    series: [],
    evaluations: [],
    verdicts: { available: false, perRun: [] },
    agreement: { available: false, cells: [] }
  }
}
const headlines: RunHeadline[] = [
  { runId: 1, clean: 0.9, robust: { accuracy: 0.1, attack: 'pgd', norm: 'Linf', epsilon: 0.3, label: 'PGD (ε=0.3)' }, verdict: 'no' },
  { runId: 2, clean: 0.8, robust: { accuracy: 0.3, attack: 'pgd', norm: 'Linf', epsilon: 0.3, label: 'PGD (ε=0.3)' }, verdict: 'possible' }
]

describe('parallel coordinates', () => {
  const data = axes.compareAxes(comparison(), headlines)

  it('has an axis only for settings that vary, a distillation’s student.optimizer.lr on the training run’s optimizer.lr', () => {
    expect(data.axes.filter((a) => !a.result).map((a) => [a.key, a.numeric])).toEqual([
      ['optimizer.kind', false],
      ['optimizer.lr', true]
    ])
    expect(data.runs.map((r) => r.values['optimizer.lr'])).toEqual([0.1, 0.02])
  })

  it('adds the results: clean and robust accuracy from the results table, and the final metrics', () => {
    expect(data.axes.filter((a) => a.result).map((a) => a.key)).toEqual([axes.CLEAN, axes.ROBUST, 'test/accuracy'])
    expect(data.runs.map((r) => r.values[axes.ROBUST])).toEqual([0.1, 0.3])
  })

  it('colours the lines by the chosen result and shows axis names whole', () => {
    const option = options.parallelCoordinatesOption(data.axes, data.runs, axes.ROBUST)
    expect(option.visualMap.dimension).toBe(data.axes.findIndex((a) => a.key === axes.ROBUST))
    expect([option.visualMap.min, option.visualMap.max]).toEqual([0.1, 0.3])
    expect(option.parallel.parallelAxisDefault.nameTruncate.maxWidth).toBeGreaterThan(1000)
    expect(option.parallelAxis.map((a: { name: string }) => a.name.replace(/\n/g, ''))).toEqual([
      'optimizer.kind',
      'optimizer.lr',
      'clean accuracy',
      'robust accuracy',
      'test/accuracy'
    ])
    expect(option.parallelAxis[0]).toMatchObject({ type: 'category', data: ['sgd', 'adam'] })
  })
})

describe('training curves', () => {
  it('smooths as TensorBoard does: an exponential moving average without the start-up bias', () => {
    expect(smoothing.smooth([1, 0], 0.5)).toEqual([1, 1 / 3])
    expect(smoothing.smooth([2, 2, 2], 0.9).map((v) => Number(v.toFixed(12)))).toEqual([2, 2, 2])
    expect(smoothing.smooth([3, 1], 0)).toEqual([3, 1])
  })

  it('reads steps as epochs from the steps at which each epoch ended', () => {
    expect(smoothing.stepsToEpochs([0, 8, 16, 24, 32, 40], [16, 32])).toEqual([0, 0.5, 1, 1.5, 2, 2.5])
    expect(smoothing.stepsToEpochs([1], [])).toBeNull()
  })

  it('reads steps as seconds from the timed steps: exact, linear between, held at the ends', () => {
    expect(smoothing.stepsToSeconds([0, 5, 10, 15, 30], { steps: [5, 10, 20], seconds: [1, 3, 13] })).toEqual([1, 1, 3, 8, 13])
    expect(smoothing.stepsToSeconds([1], { steps: [], seconds: [] })).toBeNull()
  })

  it('a log scale is a log value axis', () => {
    expect(options.metricOverlayOption([], { x: 'step', y: 'loss' }, true).yAxis.type).toBe('log')
  })
})
