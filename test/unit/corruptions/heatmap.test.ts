/**
 * The heat map shows the numbers the corruption evaluation filed, where they belong: a corruption's
 * row, its severity's column (one block of five per compared run), in percent; the latest complete
 * evaluation of a cell on the run detail, like the results table.
 */
import { describe, expect, it } from 'vitest'
import type { EvaluationRow } from '../../../src-main/api/evaluation'
import { loadRenderer } from '../renderer/loadRenderer'

interface Cell {
  attack: string
  norm: string
  epsilon: number
  accuracy: Array<number | null>
}
// The renderer's module, loaded at run time (see loadRenderer: the Node project does not type renderer files).
const { cellsFromRows, heatmapData, meansOf } = await loadRenderer<{
  cellsFromRows(rows: EvaluationRow[]): Cell[]
  heatmapData(cells: Cell[], runNames: string[]): { corruptions: string[]; columns: string[]; values: Array<[number, number, number]> }
  meansOf(cells: Cell[], runs: number): Array<number | null>
}>('components/run/corruption-heatmap')

const row = (attack: string, epsilon: number, accuracy: number, createdAt: string, extra: Partial<EvaluationRow> = {}): EvaluationRow => ({
  runId: 1,
  attack,
  norm: 'corruption',
  epsilon,
  n: 100,
  accuracy,
  std: 0,
  seeds: 1,
  cleanAccuracy: 0.98,
  drop: null,
  relativeDrop: null,
  resultIds: [1],
  evalRunId: 2,
  params: {},
  createdAt,
  ...extra
})

describe('the corruption heat map', () => {
  it('puts each cell at its corruption (catalogue order) and severity, in percent, one block per run', () => {
    const data = heatmapData(
      [
        { attack: 'fog', norm: 'corruption', epsilon: 2, accuracy: [0.5, 0.25] },
        { attack: 'gaussian-noise', norm: 'corruption', epsilon: 5, accuracy: [0.123, null] },
        { attack: 'pgd', norm: 'Linf', epsilon: 0.3, accuracy: [0.1, 0.2] },
        { attack: 'corruption-mean', norm: 'corruption', epsilon: 0, accuracy: [0.6, 0.4] }
      ],
      ['a', 'b']
    )
    expect(data.corruptions).toEqual(['gaussian-noise', 'fog'])
    expect(data.columns).toHaveLength(10)
    expect(data.columns[6]).toBe('b · 2')
    expect(data.values).toEqual(
      expect.arrayContaining([
        [1, 1, 50],
        [6, 1, 25],
        [4, 0, 12.3]
      ])
    )
    expect(data.values).toHaveLength(3)
  })

  it('takes the latest complete evaluation of each cell from a run’s rows, and its mean', () => {
    const cells = cellsFromRows([
      row('jpeg', 3, 0.7, '2026-01-01'),
      row('jpeg', 3, 0.6, '2026-02-01'),
      row('jpeg', 3, 0.1, '2026-03-01', { partialStatus: 'cancelled' }),
      row('corruption-mean', 0, 0.65, '2026-02-01'),
      row('pgd', 0.3, 0.2, '2026-02-01', { norm: 'Linf' })
    ])
    expect(cells).toContainEqual({ attack: 'jpeg', norm: 'corruption', epsilon: 3, accuracy: [0.6] })
    expect(cells.some((c) => c.attack === 'pgd')).toBe(false)
    expect(meansOf(cells, 1)).toEqual([0.65])
  })
})
