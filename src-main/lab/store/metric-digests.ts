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

export const DIGEST_POINTS = 600

interface DigestRow {
  name: string
  source: string
  points: number
  steps: Buffer
  vals: Buffer
}

const toBlob = (a: number[]): Buffer => Buffer.from(new Float64Array(a).buffer)
const fromBlob = (b: Buffer): number[] => Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)))

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

/**
 * The series of a finished run at most `maxPoints` long (≤ DIGEST_POINTS), from its digests,
 * building them first when missing or stale.
 */
export function digestedSeries(db: Database.Database, runId: number, finishedAt: string, maxPoints: number, names?: readonly string[]): MetricSeries[] {
  let rows = db.prepare('SELECT name, source, points, steps, vals FROM metric_digests WHERE run_id = ?').all(runId) as DigestRow[]
  let series: MetricSeries[]
  if (rows.length === 0 || rows.some((r) => r.source !== finishedAt)) {
    // A run with no metrics at all has no digest rows: it is cheap to re-check (index seek).
    series = buildDigests(db, runId, finishedAt)
  } else {
    series = rows.map((r) => ({ name: r.name, steps: fromBlob(r.steps), values: fromBlob(r.vals) }))
  }
  rows = []
  const wanted = names && names.length ? series.filter((s) => names.includes(s.name)) : series
  return wanted
    .map((s) => (s.steps.length > maxPoints ? { name: s.name, ...downsample(s.steps, s.values, maxPoints) } : s))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The last value (by step) of each series of a finished run, from its digests. */
export function finalValuesFromDigest(series: readonly MetricSeries[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of series) if (s.values.length) out[s.name] = s.values[s.values.length - 1]
  return out
}
