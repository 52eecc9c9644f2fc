import type Database from 'better-sqlite3'
import type { StepTimes } from '../../api/metric-times'
import { getRun } from './runs'
import { latestPerStep } from './metric-series'

/** Seconds since the series' first point at each step (the step's latest write), thinned to maxPoints. */
export function metricTimes(db: Database.Database, ids: readonly number[], name: string, maxPoints: number): StepTimes[] {
  const select = db.prepare('SELECT step, time FROM metrics WHERE run_id = ? AND name = ? ORDER BY step, rowid').raw(true)
  return ids.map((runId) => {
    getRun(db, runId)
    const { steps, values: times } = latestPerStep(select.all(runId, name) as [number, number][])
    const start = times.length ? Math.min(...times) : 0
    const stride = Math.max(1, Math.ceil(steps.length / maxPoints))
    const picked = steps.map((_, i) => i).filter((i) => i % stride === 0 || i === steps.length - 1)
    return { runId, steps: picked.map((i) => steps[i]), seconds: picked.map((i) => times[i] - start) }
  })
}
