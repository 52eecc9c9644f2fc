/**
 * The seed study's table, alive: one row per configuration (repeats with different seeds are one
 * group, shown as mean ± std), columns clean / FGSM / PGD / AutoAttack at the largest ε each
 * was run at, and the masking verdict. The best value of each column is marked.
 */
import type { Comparison, Stat } from '@api/log'

export const TABLE_COLUMNS = ['clean', 'fgsm', 'pgd', 'autoattack'] as const
export type TableColumn = (typeof TABLE_COLUMNS)[number]

export interface TableRow {
  label: string
  runIds: number[]
  cells: Record<TableColumn, (Stat & { epsilon?: number }) | null>
  verdict: string | null
}

const family = (attack: string): TableColumn | null =>
  attack === 'fgsm' ? 'fgsm' : attack === 'pgd' ? 'pgd' : attack.startsWith('autoattack') ? 'autoattack' : null

export function compareTable(comparison: Pick<Comparison, 'groups'>): TableRow[] {
  return comparison.groups.map((group) => {
    const cells: TableRow['cells'] = { clean: group.finalMetrics['test/accuracy'] ?? null, fgsm: null, pgd: null, autoattack: null }
    for (const e of group.evaluations) {
      const column = family(e.attack)
      if (!column) continue
      const current = cells[column]
      if (!current || (current.epsilon ?? 0) < e.epsilon) cells[column] = { ...e.accuracy, epsilon: e.epsilon }
    }
    return { label: group.label, runIds: group.runIds, cells, verdict: group.verdict }
  })
}

/** Index of the row with the highest mean in each column (null when no row has a value or only one does not differ). */
export function bestRows(rows: TableRow[]): Record<TableColumn, number | null> {
  const best = {} as Record<TableColumn, number | null>
  for (const column of TABLE_COLUMNS) {
    let index: number | null = null
    rows.forEach((row, i) => {
      const cell = row.cells[column]
      if (cell && (index === null || cell.mean > rows[index].cells[column]!.mean)) index = i
    })
    const withValue = rows.filter((r) => r.cells[column]).length
    best[column] = withValue > 1 ? index : null
  }
  return best
}

/** Per attack × ε: how many samples each run alone gets right (the others all wrong). */
export function onlyOneRight(cell: { correct: (boolean[] | null)[] }): number[] {
  const counts = cell.correct.map(() => 0)
  const length = Math.max(0, ...cell.correct.map((c) => c?.length ?? 0))
  for (let s = 0; s < length; s++) {
    const right = cell.correct.map((c, r) => (c?.[s] ? r : -1)).filter((r) => r >= 0)
    if (right.length === 1) counts[right[0]]++
  }
  return counts
}
