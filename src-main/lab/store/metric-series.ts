import type Database from 'better-sqlite3'
import type { MetricSeries } from '../../api/runs'

/**
 * A run's metric series, optionally downsampled for charts. Downsampling keeps each bucket's
 * first, minimum and maximum points, so spikes (a NaN-adjacent loss blow-up, an accuracy dip)
 * stay visible however far a long series is reduced.
 */
export function readMetricSeries(db: Database.Database, runId: number, names?: string[], maxPoints?: number): MetricSeries[] {
  const wanted =
    names && names.length > 0
      ? names
      : (db.prepare('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').all(runId) as { name: string }[]).map((r) => r.name)
  const select = db.prepare('SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step, rowid').raw(true)
  return wanted.map((name) => {
    const { steps, values } = latestPerStep(select.all(runId, name) as [number, number][])
    return maxPoints && steps.length > maxPoints ? { name, ...downsample(steps, values, maxPoints) } : { name, steps, values }
  })
}

/**
 * One point per step, the latest written (rows come by step, then rowid): a step logged twice — a
 * resume that recomputed it — is drawn once, as it was last computed.
 */
export function latestPerStep(rows: [number, number][]): { steps: number[]; values: number[] } {
  const steps: number[] = []
  const values: number[] = []
  for (const [step, value] of rows) {
    if (steps.length && steps[steps.length - 1] === step) values[values.length - 1] = value
    else {
      steps.push(step)
      values.push(value)
    }
  }
  return { steps, values }
}

export function downsample(steps: number[], values: number[], maxPoints: number): { steps: number[]; values: number[] } {
  const buckets = Math.max(1, Math.floor((maxPoints - 1) / 3))
  const size = steps.length / buckets
  const keep: number[] = []
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size)
    const end = Math.min(steps.length, Math.floor((b + 1) * size))
    if (end <= start) continue
    let min = start
    let max = start
    for (let i = start; i < end; i++) {
      if (values[i] < values[min]) min = i
      if (values[i] > values[max]) max = i
    }
    keep.push(...new Set([start, min, max].sort((a, b) => a - b)))
  }
  const last = steps.length - 1
  if (keep[keep.length - 1] !== last) keep.push(last)
  return { steps: keep.map((i) => steps[i]), values: keep.map((i) => values[i]) }
}
