/**
 * Comparing runs side by side: selecting them, then aligning their configs (differing keys
 * marked), final metrics, metric series (downsampled for charts), evaluation results per attack ×
 * ε, masking verdicts and per-sample agreement. The results table (repeats as mean ± std) is built
 * by store/results-table.ts.
 */
import type Database from 'better-sqlite3'
import type { MetricSeries, RunStatus } from '../../api/runs'
import type { CompareOptions, ComparedRun, Comparison, RunFilter, Stat } from '../../api/compare'
import { CompareOptionsSchema, RunFilterSchema } from '../../api/compare'
import { LabError } from '../../api/errors'
import { readMetricSeries } from './metric-series'
import { digestedFinals, digestedSeries, DIGEST_POINTS, finalValuesFromDigest } from './metric-digests'
import { attackOrder, epsKey, readAgreement, readVerdicts } from './compare-evidence'
import { readRunResults } from './run-results'
import { architectureOf } from './model-identity'

export { attackOrder, epsKey }

interface Row {
  id: number
  name: string
  kind: string
  status: RunStatus
  seed: number
  config_hash: string
  config_json: string
  created_at: string
  finished_at: string | null
  note: string
  starred: number
  archived_at: string | null
  tags: string | null
  dataset: string | null
}

const ROW_SQL = `SELECT r.id, r.name, r.kind, r.status, r.seed, r.config_hash, r.config_json, r.created_at, r.finished_at,
  r.note, r.starred, r.archived_at, (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM run_tags t WHERE t.run_id = r.id ORDER BY tag)) AS tags,
  (SELECT d.name FROM datasets d WHERE d.id = r.dataset_id) AS dataset
  FROM runs r`

type Config = Record<string, unknown>
const obj = (v: unknown): Config | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Config) : undefined)

/**
 * The defence in the user's words: "none", a defence kind (pgd-at, gradient-truncation, …),
 * "distillation", or both joined with "+" (the seed's "Distill + PGD 5-step").
 */
export function defenceOf(kind: string, config: Config): string {
  const parts: string[] = []
  if (kind === 'distill') parts.push('distillation')
  for (const d of [config.defence, obj(config.student)?.defence]) {
    const k = typeof d === 'string' ? d : obj(d)?.kind
    if (typeof k === 'string' && k !== 'none' && !parts.includes(k)) parts.push(k)
  }
  return parts.length ? parts.join('+') : 'none'
}

function toCompared(db: Database.Database, r: Row, config: Config): ComparedRun {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    seed: r.seed,
    configHash: r.config_hash,
    createdAt: r.created_at,
    dataset: r.dataset,
    arch: architectureOf(db, r.kind, config),
    defence: defenceOf(r.kind, config),
    tags: r.tags ? r.tags.split('\u001f') : [],
    note: r.note,
    starred: r.starred === 1,
    archived: r.archived_at !== null
  }
}

/** Runs matching a filter, newest first. Runs in the trash are never selected. */
export function selectRuns(db: Database.Database, filter: RunFilter): ComparedRun[] {
  const f = RunFilterSchema.parse(filter)
  const where = ['r.deleted_at IS NULL']
  const args: unknown[] = []
  if (f.ids) (where.push(`r.id IN (${f.ids.map(() => '?').join(',')})`), args.push(...f.ids))
  if (f.projectId !== undefined) (where.push('r.project_id = ?'), args.push(f.projectId))
  if (f.status) (where.push('r.status = ?'), args.push(f.status))
  if (f.kind) (where.push('r.kind = ?'), args.push(f.kind))
  if (f.tag) (where.push('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)'), args.push(f.tag))
  if (f.starred !== undefined) (where.push('r.starred = ?'), args.push(f.starred ? 1 : 0))
  if (!f.includeArchived) where.push('r.archived_at IS NULL')
  if (f.from) (where.push('r.created_at >= ?'), args.push(f.from))
  // A bare date as `to` means the whole of that day.
  if (f.to) (where.push('r.created_at <= ?'), args.push(/^\d{4}-\d{2}-\d{2}$/.test(f.to) ? `${f.to}T23:59:59.999Z` : f.to))
  const rows = db.prepare(`${ROW_SQL} WHERE ${where.join(' AND ')} ORDER BY r.id DESC`).all(...args) as Row[]
  const out: ComparedRun[] = []
  for (const r of rows) {
    const run = toCompared(db, r, JSON.parse(r.config_json) as Config)
    // Architecture and defence depend on the kind's config, so they are matched here.
    if (f.dataset && run.dataset?.toLowerCase() !== f.dataset.toLowerCase()) continue
    if (f.arch && run.arch !== f.arch) continue
    if (f.defence && !run.defence.split('+').includes(f.defence) && run.defence !== f.defence) continue
    out.push(run)
    if (out.length >= f.limit) break
  }
  return out
}

/** Dot-path leaves of a config; arrays are leaves (compared as wholes). */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  const o = obj(value)
  if (!o) {
    if (prefix) out[prefix] = value
    return out
  }
  for (const [k, v] of Object.entries(o)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out)
  return out
}

export function stat(values: readonly number[]): Stat {
  const n = values.length
  const mean = values.reduce((a, b) => a + b, 0) / n
  // Sample standard deviation (n − 1), as the spread of repeated runs is usually reported.
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0
  return { mean, std, n }
}

/** The part of the runs' names they share ("baseline seed 1", "baseline seed 2" → "baseline"). */
export function commonLabel(names: readonly string[]): string {
  if (names.every((n) => n === names[0])) return names[0]
  let prefix = names[0]
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1)
  const trimmed = prefix.replace(/[\s\-_#(]*(seed|run|rep|repeat|s)?[\s\-_#=]*\d*$/i, '').trim()
  return trimmed.length >= 2 ? trimmed : names[0]
}

function loadRows(db: Database.Database, ids: readonly number[]): Row[] {
  const get = db.prepare(`${ROW_SQL} WHERE r.id = ?`)
  return ids.map((id) => {
    const row = get.get(id) as Row | undefined
    if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
    return row
  })
}

function seriesOf(
  db: Database.Database,
  r: Row,
  maxPoints: number,
  names: readonly string[] | undefined
): { series: MetricSeries[]; finals: Record<string, number> } {
  const finished = r.status !== 'queued' && r.status !== 'running' && r.finished_at !== null
  if (finished && names && names.length === 0) return { series: [], finals: digestedFinals(db, r.id, r.finished_at as string) }
  if (finished && maxPoints <= DIGEST_POINTS) {
    const series = digestedSeries(db, r.id, r.finished_at as string, maxPoints, names)
    // Finals of series not asked for still come from their digests (last 8 bytes each).
    return { series, finals: names ? digestedFinals(db, r.id, r.finished_at as string) : finalValuesFromDigest(series) }
  }
  const all = readMetricSeries(db, r.id, undefined, maxPoints)
  return { series: names ? all.filter((s) => names.includes(s.name)) : all, finals: finalValuesFromDigest(all) }
}

export function compareRuns(db: Database.Database, options: CompareOptions): Comparison {
  const o = CompareOptionsSchema.parse(options)
  const ids = [...new Set(o.ids)]
  const rows = loadRows(db, ids)
  const configs = rows.map((r) => JSON.parse(r.config_json) as Config)
  const runs = rows.map((r, i) => toCompared(db, r, configs[i]))

  // Configs, aligned on the union of their keys; a key differs when any two runs disagree.
  const flat = configs.map((c) => flattenConfig(c))
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort()
  const config = keys.map((key) => {
    const values = flat.map((f) => (key in f ? f[key] : null))
    const first = JSON.stringify(values[0])
    return { key, values, differs: values.some((v) => JSON.stringify(v) !== first) }
  })

  // Metrics: series (downsampled) and final values.
  const perRun = rows.map((r) => seriesOf(db, r, o.maxPoints, o.metrics))
  const metricNames = [...new Set(perRun.flatMap((p) => Object.keys(p.finals)))].sort()
  const finalMetrics = metricNames.map((name) => ({ name, values: perRun.map((p) => p.finals[name] ?? null) }))
  const series = rows.map((r, i) => ({ runId: r.id, series: perRun[i].series }))

  // Evaluation results per attack × ε, completed evaluations only (store/run-results.ts).
  const { byRun } = readRunResults(db, ids, false)
  const cells = new Map<string, { attack: string; norm: string; epsilon: number }>()
  for (const results of byRun.values()) for (const [key, r] of results) if (!cells.has(key)) cells.set(key, r)
  const orderedCells = [...cells].sort(
    ([, a], [, b]) =>
      attackOrder(a.attack) - attackOrder(b.attack) ||
      a.attack.localeCompare(b.attack) ||
      a.norm.localeCompare(b.norm) ||
      a.epsilon - b.epsilon
  )
  const evaluations = orderedCells.map(([key, c]) => ({
    attack: c.attack,
    norm: c.norm,
    epsilon: c.epsilon,
    accuracy: ids.map((id) => byRun.get(id)?.get(key)?.accuracy ?? null),
    n: ids.map((id) => byRun.get(id)?.get(key)?.samples ?? null)
  }))

  const verdicts = readVerdicts(db, ids)
  const agreement = o.agreement ? readAgreement(db, ids) : { available: false, reason: 'not requested', cells: [] }

  return { runs, config, finalMetrics, series, evaluations, verdicts, agreement }
}

/** Of a group's verdicts the most alarming one counts: one masked repeat is enough to suspect. */
export function worstVerdict(verdicts: readonly string[]): string | null {
  for (const v of ['yes', 'possible', 'no']) if (verdicts.includes(v)) return v
  return null
}
