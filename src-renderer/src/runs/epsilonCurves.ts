/**
 * Compare's ε-curves read from the results table (the one source of these numbers): for each row
 * (a model, or repeats as their mean) and each attack, its accuracy at every ε it was attacked at,
 * starting from the row's clean accuracy at ε = 0. Curves are split by norm: an L2 ε and an L∞ ε
 * never share an axis.
 */
import type { ResultsTable } from '@api/results-table'
import { attackTitle } from '@api/results-text'

export interface TableCurve {
  key: string
  label: string
  attack: string
  norm: string
  points: { epsilon: number; accuracy: number }[]
}

export function curvesFromTable(table: ResultsTable | null): { norm: string; curves: TableCurve[] }[] {
  if (!table) return []
  const byNorm = new Map<string, TableCurve[]>()
  const cleanIndex = table.columns.findIndex((c) => c.attack === 'clean')
  table.rows.forEach((row, r) => {
    const clean = cleanIndex >= 0 ? row.cells[cleanIndex] : null
    const curves = new Map<string, TableCurve>()
    table.columns.forEach((column, c) => {
      const cell = row.cells[c]
      if (column.attack === 'clean' || column.epsilon === null || !cell) return
      const norm = column.norm ?? 'Linf'
      const key = `${r}|${column.attack}|${norm}`
      const curve = curves.get(key) ?? {
        key,
        label: `${row.label} · ${attackTitle(column.attack)}`,
        attack: column.attack,
        norm,
        points: clean ? [{ epsilon: 0, accuracy: clean.mean }] : []
      }
      curve.points.push({ epsilon: column.epsilon, accuracy: cell.mean })
      curves.set(key, curve)
    })
    for (const curve of curves.values()) {
      curve.points.sort((a, b) => a.epsilon - b.epsilon)
      byNorm.set(curve.norm, [...(byNorm.get(curve.norm) ?? []), curve])
    }
  })
  return [...byNorm]
    .sort(([a], [b]) => (a === 'Linf' ? -1 : b === 'Linf' ? 1 : a.localeCompare(b)))
    .map(([norm, curves]) => ({ norm, curves }))
}
