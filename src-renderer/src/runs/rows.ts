/**
 * The Runs table's rows, models first: one row per model run (trained, distilled, imported,
 * wrapped) as runs.overview reports it — filed, scored by the results table's headline — with the
 * attack, evaluation and sweep runs that measured it nested under it. Pure functions, so sorting,
 * filtering and grouping are tested without a window.
 */
import type { RunStatus } from '@api/runs'
import type { MeasurementRun, OverviewModel, RunsOverview } from '@api/runs-overview'
import { alignConfig } from './alignConfig'

export type RunProgress = NonNullable<OverviewModel['progress']>

export interface MeasurementRow {
  id: number
  name: string
  kind: string
  status: RunStatus
  createdAt: string
  error: string | null
  progress: RunProgress | null
}

export interface RunRow {
  id: number
  name: string
  kind: string
  status: RunStatus
  seed: number
  configHash: string
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
  /** The config as dot paths, aligned across run kinds (a distillation's student.* read as *). */
  config: Record<string, unknown>
  /** Last value of each logged metric. */
  metrics: Record<string, number>
  studyIds: number[]
  measurements: MeasurementRow[]
}

export type SortKey =
  | 'id'
  | 'name'
  | 'kind'
  | 'status'
  | 'dataset'
  | 'arch'
  | 'defence'
  | 'cleanAccuracy'
  | 'robustAccuracy'
  | 'verdict'
  | 'createdAt'
  | 'seed'
  | `config:${string}`
  | `metric:${string}`

export interface RunFilter {
  text: string
  status: RunStatus | ''
  dataset: string
  arch: string
  defence: string
  tag: string
}

export const EMPTY_FILTER: RunFilter = { text: '', status: '', dataset: '', arch: '', defence: '', tag: '' }

const isActive = (status: RunStatus) => status === 'running' || status === 'queued'
/** A running run shows the newest streamed progress; a finished one none. */
const liveOf = (run: { id: number; status: RunStatus; progress: RunProgress | null }, live: Record<number, RunProgress>) =>
  isActive(run.status) ? (live[run.id] ?? run.progress) : null

function measurementRow(m: MeasurementRun, live: Record<number, RunProgress>): MeasurementRow {
  return { id: m.id, name: m.name, kind: m.kind, status: m.status, createdAt: m.createdAt, error: m.error, progress: liveOf(m, live) }
}

export function buildRows(overview: RunsOverview | null, liveProgress: Record<number, RunProgress> = {}): RunRow[] {
  return (overview?.models ?? []).map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    status: m.status,
    seed: m.seed,
    configHash: m.configHash,
    createdAt: m.createdAt,
    error: m.error,
    progress: liveOf(m, liveProgress),
    dataset: m.dataset,
    arch: m.arch,
    defence: m.defence,
    tags: m.tags,
    starred: m.starred,
    // Clean, robust and verdict are the service's results table's, the one source of these numbers.
    cleanAccuracy: m.headline.clean,
    robustAccuracy: m.headline.robust?.accuracy ?? null,
    robustLabel: m.headline.robust?.label ?? null,
    verdict: m.headline.verdict,
    config: alignConfig(m.kind, m.config),
    metrics: m.metrics,
    studyIds: m.studyIds,
    measurements: m.measurements.map((x) => measurementRow(x, liveProgress))
  }))
}

/** Every run that is queued or running, models and measurements alike (each once). */
export function activeRuns(
  rows: RunRow[],
  unattached: MeasurementRun[] = [],
  liveProgress: Record<number, RunProgress> = {}
): MeasurementRow[] {
  const seen = new Map<number, MeasurementRow>()
  for (const row of rows) {
    if (isActive(row.status)) seen.set(row.id, row)
    for (const m of row.measurements) if (isActive(m.status)) seen.set(m.id, m)
  }
  for (const m of unattached) if (isActive(m.status)) seen.set(m.id, measurementRow(m, liveProgress))
  return [...seen.values()].sort((a, b) => b.id - a.id)
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

/** A row's value under a column key: a field, a config key ("config:optimizer.lr") or a metric ("metric:test/accuracy"). */
export function valueOf(row: RunRow, key: SortKey): unknown {
  if (key.startsWith('config:')) return row.config[key.slice('config:'.length)] ?? null
  if (key.startsWith('metric:')) return row.metrics[key.slice('metric:'.length)] ?? null
  return row[key as keyof RunRow] ?? null
}

/** Sorts a copy; missing values (null) always go last, whichever the direction. */
export function sortRows(rows: RunRow[], key: SortKey, direction: 'asc' | 'desc'): RunRow[] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = valueOf(a, key)
    const y = valueOf(b, key)
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
