/**
 * One row of the Runs table, joined from what the service reports about a run: its summary
 * (runs.list), how the log files it (runs.select: dataset, architecture, defence, tags) and what
 * it scored (results.table's headlines: clean accuracy, accuracy under attack, masking verdict).
 * Pure functions, so sorting and filtering are tested without a window.
 */
import type { RunStatus, RunSummary } from '@api/runs'

export type RunProgress = NonNullable<RunSummary['progress']>
import type { ComparedRun } from '@api/compare'
import type { RunHeadline } from '@api/results-table'

export interface RunRow {
  id: number
  name: string
  kind: string
  status: RunStatus
  seed: number
  createdAt: string
  error: string | null
  progress: RunProgress | null
  dataset: string | null
  arch: string | null
  defence: string
  tags: string[]
  starred: boolean
  /** Final test accuracy (0–1), or null before the first evaluation. */
  cleanAccuracy: number | null
  /** Lowest accuracy under any attack at the largest ε of the run's completed evaluations. */
  robustAccuracy: number | null
  robustLabel: string | null
  verdict: string | null
}

export type SortKey = 'id' | 'name' | 'status' | 'dataset' | 'arch' | 'defence' | 'cleanAccuracy' | 'robustAccuracy' | 'verdict' | 'createdAt'

export interface RunFilter {
  text: string
  status: RunStatus | ''
  dataset: string
  arch: string
  defence: string
  tag: string
}

export const EMPTY_FILTER: RunFilter = { text: '', status: '', dataset: '', arch: '', defence: '', tag: '' }

export function buildRows(summaries: RunSummary[], filed: ComparedRun[], headlines: RunHeadline[] | null, liveProgress: Record<number, RunProgress> = {}): RunRow[] {
  const byId = new Map(filed.map((r) => [r.id, r]))
  // Clean, robust and verdict come from the service's results table, the one source of these numbers.
  const scores = new Map((headlines ?? []).map((h) => [h.runId, h]))
  return summaries.map((summary) => {
    const info = byId.get(summary.id)
    const live = summary.status === 'running' || summary.status === 'queued' ? liveProgress[summary.id] ?? summary.progress : null
    return {
      id: summary.id,
      name: summary.name,
      kind: summary.kind,
      status: summary.status,
      seed: summary.seed,
      createdAt: summary.createdAt,
      error: summary.error,
      progress: live,
      dataset: info?.dataset ?? null,
      arch: info?.arch ?? null,
      defence: info?.defence ?? 'none',
      tags: info?.tags ?? [],
      starred: info?.starred ?? false,
      cleanAccuracy: scores.get(summary.id)?.clean ?? null,
      robustAccuracy: scores.get(summary.id)?.robust?.accuracy ?? null,
      robustLabel: scores.get(summary.id)?.robust?.label ?? null,
      verdict: scores.get(summary.id)?.verdict ?? null
    }
  })
}

export function filterRows(rows: RunRow[], filter: RunFilter): RunRow[] {
  const text = filter.text.trim().toLowerCase()
  return rows.filter(
    (row) =>
      (!text || row.name.toLowerCase().includes(text) || String(row.id) === text || row.tags.some((t) => t.toLowerCase().includes(text))) &&
      (!filter.status || row.status === filter.status) &&
      (!filter.dataset || row.dataset === filter.dataset) &&
      (!filter.arch || row.arch === filter.arch) &&
      (!filter.defence || row.defence === filter.defence) &&
      (!filter.tag || row.tags.includes(filter.tag))
  )
}

/** Sorts a copy; missing values (null) always go last, whichever the direction. */
export function sortRows(rows: RunRow[], key: SortKey, direction: 'asc' | 'desc'): RunRow[] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = a[key]
    const y = b[key]
    if (x === null && y === null) return a.id - b.id
    if (x === null) return 1
    if (y === null) return -1
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
    return order === 0 ? a.id - b.id : sign * order
  })
}

/** The distinct values of one column, for the filter menus. */
export function distinct(rows: RunRow[], pick: (row: RunRow) => string | string[] | null): string[] {
  const values = new Set<string>()
  for (const row of rows) {
    const v = pick(row)
    if (Array.isArray(v)) v.forEach((x) => values.add(x))
    else if (v) values.add(v)
  }
  return [...values].sort()
}
