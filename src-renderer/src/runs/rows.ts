/**
 * One row of the Runs table, joined from what the service reports about a run: its summary
 * (runs.list), how the log files it (runs.select: dataset, architecture, defence, tags) and what
 * it scored (runs.compare: final test accuracy, accuracy under attack, masking verdict).
 * Pure functions, so sorting and filtering are tested without a window.
 */
import type { RunStatus, RunSummary } from '@api/runs'

export type RunProgress = NonNullable<RunSummary['progress']>
import type { ComparedRun, Comparison } from '@api/log'
import { formatEpsilon } from '@api/epsilon'

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
  /** Lowest accuracy under any attack at the largest ε the run was attacked with. */
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

/** Worst accuracy under attack at the largest ε each run was evaluated at, per run id. */
export function worstCaseByRun(comparison: Pick<Comparison, 'runs' | 'evaluations'>): Map<number, { accuracy: number; label: string }> {
  const found = new Map<number, { accuracy: number; label: string; epsilon: number }>()
  comparison.runs.forEach((run, index) => {
    for (const cell of comparison.evaluations) {
      const accuracy = cell.accuracy[index]
      if (accuracy === null || accuracy === undefined || cell.attack === 'clean') continue
      const label = `${cell.attack} ${cell.norm} ε=${formatEpsilon(cell.epsilon)}`
      const previous = found.get(run.id)
      if (!previous || cell.epsilon > previous.epsilon || (cell.epsilon === previous.epsilon && accuracy < previous.accuracy)) {
        found.set(run.id, { accuracy, label, epsilon: cell.epsilon })
      }
    }
  })
  return new Map([...found].map(([id, v]) => [id, { accuracy: v.accuracy, label: v.label }]))
}

export function buildRows(
  summaries: RunSummary[],
  filed: ComparedRun[],
  comparison: Pick<Comparison, 'runs' | 'evaluations' | 'finalMetrics' | 'verdicts'> | null,
  liveProgress: Record<number, RunProgress> = {}
): RunRow[] {
  const byId = new Map(filed.map((r) => [r.id, r]))
  const clean = new Map<number, number>()
  const verdicts = new Map<number, string | null>()
  let worst = new Map<number, { accuracy: number; label: string }>()
  if (comparison) {
    const testAccuracy = comparison.finalMetrics.find((m) => m.name === 'test/accuracy')
    comparison.runs.forEach((run, index) => {
      const value = testAccuracy?.values[index]
      if (value !== null && value !== undefined) clean.set(run.id, value)
    })
    for (const v of comparison.verdicts.perRun) verdicts.set(v.runId, v.verdict)
    worst = worstCaseByRun(comparison)
  }
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
      cleanAccuracy: clean.get(summary.id) ?? null,
      robustAccuracy: worst.get(summary.id)?.accuracy ?? null,
      robustLabel: worst.get(summary.id)?.label ?? null,
      verdict: verdicts.get(summary.id) ?? null
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
