/**
 * The Runs table's columns. The key columns (name, dataset, architecture, defence, clean and
 * robust accuracy, masking verdict, actions) are always there and fit 1280 px; the user adds any
 * other from the column chooser: a run field, any config key (aligned across kinds) or any metric.
 */
import type { RunRow, SortKey } from './rows'
import { valueOf } from './rows'

export const KEY_COLUMNS = [
  'name',
  'dataset',
  'arch',
  'defence',
  'cleanAccuracy',
  'robustAccuracy',
  'verdict'
] as const satisfies readonly SortKey[]
/** Fields of a run the chooser offers besides the config keys and metrics. */
export const FIELD_COLUMNS = ['id', 'status', 'seed', 'createdAt'] as const satisfies readonly SortKey[]

export interface ColumnChoices {
  fields: SortKey[]
  config: SortKey[]
  metrics: SortKey[]
}

/** Every column the chooser can add, from what the shown runs hold (config keys and metrics sorted). */
export function columnChoices(rows: RunRow[]): ColumnChoices {
  const config = new Set<string>()
  const metrics = new Set<string>()
  for (const row of rows) {
    Object.keys(row.config).forEach((k) => config.add(k))
    Object.keys(row.metrics).forEach((k) => metrics.add(k))
  }
  return {
    fields: [...FIELD_COLUMNS],
    config: [...config].sort().map((k) => `config:${k}` as const),
    metrics: [...metrics].sort().map((k) => `metric:${k}` as const)
  }
}

/** The column's heading when it is not a key column: the config key or metric name itself. */
export const columnName = (key: string): string => key.replace(/^(config|metric):/, '')

export const isNumericColumn = (key: string): boolean => key === 'id' || key === 'seed' || key.startsWith('metric:')

/** A chosen column's cell text: numbers to 4 significant digits, lists and objects as JSON, none as "—". */
export function cellText(row: RunRow, key: SortKey): string {
  const value = valueOf(row, key)
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)))
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
