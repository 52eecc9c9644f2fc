/**
 * What Compare's parallel coordinates and scatter plot are drawn over: the settings that VARY
 * among the compared runs — aligned across run kinds (runs/alignConfig.ts), so a distillation's
 * student.optimizer.lr sits on the same axis as a training run's optimizer.lr — and the results
 * (clean and robust accuracy from the results table's headlines, and the final metrics).
 */
import type { Comparison } from '@api/compare'
import type { RunHeadline } from '@api/results-table'
import { alignConfig } from './alignConfig'

export type AxisValue = number | string | null

export interface CompareAxis {
  key: string
  /** Numbers on a value axis; anything else (an optimiser kind, a defence) on a category axis. */
  numeric: boolean
  /** A result (colourable, the scatter's y) rather than a setting. */
  result: boolean
}

export interface CompareRunPoint {
  id: number
  label: string
  values: Record<string, AxisValue>
}

/** Keys that name other runs or the run itself, not settings that shape it. */
const NOT_SETTINGS = /(^|\.)(name|projectId|\w*RunIds?)$/

export const CLEAN = 'clean accuracy'
export const ROBUST = 'robust accuracy'

const asValue = (v: unknown): AxisValue =>
  v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)

export function compareAxes(comparison: Comparison, headlines: RunHeadline[]): { axes: CompareAxis[]; runs: CompareRunPoint[] } {
  const flat = comparison.runs.map((run, i) => {
    const own: Record<string, unknown> = {}
    for (const row of comparison.config) if (row.values[i] !== null && row.values[i] !== undefined) own[row.key] = row.values[i]
    return alignConfig(run.kind, own)
  })
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((k) => !NOT_SETTINGS.test(k)).sort()
  // A setting varies when the runs that have it disagree: a key only one kind has (a teacher's
  // settings) is not an axis, or every comparison with a distillation would grow a dozen of them.
  const varying = keys.filter((k) => new Set(flat.filter((f) => f[k] !== undefined).map((f) => JSON.stringify(f[k]))).size > 1)
  const settings: CompareAxis[] = varying.map((key) => ({
    key,
    numeric: flat.every((f) => f[key] === undefined || typeof f[key] === 'number'),
    result: false
  }))

  const byRun = new Map(headlines.map((h) => [h.runId, h]))
  const results: CompareAxis[] = [
    { key: CLEAN, numeric: true, result: true },
    { key: ROBUST, numeric: true, result: true },
    ...comparison.finalMetrics.map((m) => ({ key: m.name, numeric: true, result: true }))
  ].filter((axis) => comparison.runs.some((run, i) => resultOf(axis.key, run.id, i) !== null))

  function resultOf(key: string, id: number, index: number): number | null {
    if (key === CLEAN) return byRun.get(id)?.clean ?? null
    if (key === ROBUST) return byRun.get(id)?.robust?.accuracy ?? null
    return comparison.finalMetrics.find((m) => m.name === key)?.values[index] ?? null
  }

  const runs = comparison.runs.map((run, i) => {
    const values: Record<string, AxisValue> = {}
    for (const axis of settings) values[axis.key] = asValue(flat[i][axis.key])
    for (const axis of results) values[axis.key] = resultOf(axis.key, run.id, i)
    return { id: run.id, label: `#${run.id} ${run.name}`, values }
  })
  return { axes: [...settings, ...results], runs }
}
