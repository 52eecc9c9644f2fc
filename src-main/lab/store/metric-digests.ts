/**
 * Digests: each finished run's metric series reduced once to DIGEST_POINTS min/max-preserving
 * points and kept in `metric_digests`, so a comparison of hundreds of runs reads a few kilobytes
 * per series instead of rescanning millions of metric rows. A digest is stale when the run's
 * finished_at changed since it was built (a resumed run finishes again); active runs are never
 * digested and are read live.
 */
import type Database from 'better-sqlite3'
import type { MetricSeries } from '../../api/runs'
import { downsample } from './metric-series'

export const DIGEST_POINTS = 400

interface DigestRow {
  name: string
  source: string
  points: number
  steps: Buffer
  vals: Buffer
}

const toBlob = (a: number[]): Buffer => Buffer.from(new Float64Array(a).buffer)

/** Builds (or rebuilds) the digests of one run's series. Returns them as series. */
export function buildDigests(db: Database.Database, runId: number, source: string): MetricSeries[] {
  const select = db.prepare('SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step, rowid').raw(true)
  const byName = new Map<string, { steps: number[]; values: number[] }>()
  for (const [name, step, value] of select.iterate(runId) as Iterable<[string, number, number]>) {
    let s = byName.get(name)
    if (!s) byName.set(name, (s = { steps: [], values: [] }))
    s.steps.push(step)
    s.values.push(value)
  }
  const out: MetricSeries[] = []
  const write = db.prepare('INSERT OR REPLACE INTO metric_digests (run_id, name, source, points, steps, vals) VALUES (?, ?, ?, ?, ?, ?)')
  db.transaction(() => {
    db.prepare('DELETE FROM metric_digests WHERE run_id = ?').run(runId)
    for (const [name, s] of byName) {
      const d = s.steps.length > DIGEST_POINTS ? downsample(s.steps, s.values, DIGEST_POINTS) : s
      write.run(runId, name, source, s.steps.length, toBlob(d.steps), toBlob(d.values))
      out.push({ name, steps: d.steps, values: d.values })
    }
  })()
  return out
}

/** Float64 view of a blob without copying when it is aligned (it is, for Buffers SQLite returns). */
function view(b: Buffer): Float64Array {
  return b.byteOffset % 8 === 0 ? new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8) : new Float64Array(new Uint8Array(b).buffer)
}

/**
 * The same min/max-preserving reduction as metric-series.downsample (each bucket keeps its first,
 * minimum and maximum point; the last point is always kept), on typed arrays and without
 * intermediate allocations, since a comparison runs it on thousands of series.
 */
export function downsampleView(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  maxPoints: number
): { steps: number[]; values: number[] } {
  const n = steps.length
  const outSteps: number[] = []
  const outValues: number[] = []
  const keep = (i: number): void => {
    outSteps.push(steps[i])
    outValues.push(values[i])
  }
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) keep(i)
    return { steps: outSteps, values: outValues }
  }
  const buckets = Math.max(1, Math.floor((maxPoints - 1) / 3))
  const size = n / buckets
  let last = -1
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size)
    const end = Math.min(n, Math.floor((b + 1) * size))
    if (end <= start) continue
    let min = start
    let max = start
    for (let i = start; i < end; i++) {
      if (values[i] < values[min]) min = i
      if (values[i] > values[max]) max = i
    }
    const lo = Math.min(min, max)
    const hi = Math.max(min, max)
    keep(start)
    if (lo !== start) keep(lo)
    if (hi !== lo && hi !== start) keep(hi)
    last = hi
  }
  if (last !== n - 1) keep(n - 1)
  return { steps: outSteps, values: outValues }
}

function isStale(rows: Array<{ source: string }>, finishedAt: string): boolean {
  return rows.length === 0 || rows.some((r) => r.source !== finishedAt)
}

/**
 * The series of a finished run at most `maxPoints` long (≤ DIGEST_POINTS), from its digests,
 * building them first when missing or stale.
 */
export function digestedSeries(
  db: Database.Database,
  runId: number,
  finishedAt: string,
  maxPoints: number,
  names?: readonly string[]
): MetricSeries[] {
  const rows = db
    .prepare('SELECT name, source, points, steps, vals FROM metric_digests WHERE run_id = ? ORDER BY name')
    .all(runId) as DigestRow[]
  if (isStale(rows, finishedAt)) {
    // A run with no metrics at all has no digest rows: it is cheap to re-check (index seek).
    const built = buildDigests(db, runId, finishedAt).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return built
      .filter((s) => !names || names.includes(s.name))
      .map((s) => ({ name: s.name, ...downsampleView(s.steps, s.values, maxPoints) }))
  }
  return rows
    .filter((r) => !names || names.includes(r.name))
    .map((r) => ({ name: r.name, ...downsampleView(view(r.steps), view(r.vals), maxPoints) }))
}

/**
 * The last value (by step) of every series of a finished run, reading only the last 8 bytes of
 * each digest (the last point is always kept), so a table of hundreds of runs stays cheap.
 */
export function digestedFinals(db: Database.Database, runId: number, finishedAt: string): Record<string, number> {
  const rows = db
    .prepare('SELECT name, source, substr(vals, length(vals) - 7, 8) AS last FROM metric_digests WHERE run_id = ?')
    .all(runId) as Array<{ name: string; source: string; last: Buffer }>
  if (isStale(rows, finishedAt)) return finalValuesFromDigest(buildDigests(db, runId, finishedAt))
  const out: Record<string, number> = {}
  for (const r of rows) out[r.name] = new Float64Array(new Uint8Array(r.last).buffer)[0]
  return out
}

/** The last value (by step) of each series. */
export function finalValuesFromDigest(series: readonly MetricSeries[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of series) if (s.values.length) out[s.name] = s.values[s.values.length - 1]
  return out
}

/**
 * Builds the digests of finished runs that lack them (or whose digests are stale), up to `limit`
 * runs; returns how many it built. Meant for when a run finishes (RunRecorder.finish) or for idle
 * time, so that the first comparison after a long study does not pay for all of them at once.
 */
export function buildMissingDigests(db: Database.Database, limit = Infinity, runIds?: readonly number[]): number {
  const rows = db
    .prepare(
      `SELECT r.id, r.finished_at FROM runs r
       WHERE r.status NOT IN ('queued', 'running') AND r.finished_at IS NOT NULL AND r.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = r.id)
         AND (NOT EXISTS (SELECT 1 FROM metric_digests d WHERE d.run_id = r.id)
              OR EXISTS (SELECT 1 FROM metric_digests d WHERE d.run_id = r.id AND d.source <> r.finished_at))`
    )
    .all() as Array<{ id: number; finished_at: string }>
  let built = 0
  for (const r of rows) {
    if (built >= limit) break
    if (runIds && !runIds.includes(r.id)) continue
    buildDigests(db, r.id, r.finished_at)
    built++
  }
  return built
}
