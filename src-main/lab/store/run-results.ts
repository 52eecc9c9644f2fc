/**
 * What each model run scored, per attack × norm × ε, read once for every view of the log: a run's
 * value of a cell is the mean over the seeds of its latest *completed* evaluation of that cell
 * (older evaluations stay in the log, superseded). Results of an evaluation that was cancelled,
 * failed, interrupted or is still running are partial: they are reported separately and stand in
 * for a missing complete value only when the caller asks (`includePartial`).
 */
import type Database from 'better-sqlite3'
import type { RunStatus } from '../../api/runs'
import { epsKey } from './compare-evidence'

export interface RunResult {
  attack: string
  norm: string
  epsilon: number
  /** Mean over the seeds of the evaluation the value comes from. */
  accuracy: number
  /** Test images it was measured on. */
  samples: number
  evalRunId: number | null
  /** null when the evaluation completed; else its status (cancelled, failed, …). */
  partialStatus: RunStatus | null
}

export interface PartialResult {
  runId: number
  evalRunId: number
  status: RunStatus
  attack: string
  norm: string
  epsilon: number
}

interface Row {
  id: number
  run_id: number
  eval_run_id: number | null
  attack: string
  norm: string
  epsilon: number
  accuracy: number
  n: number
  status: RunStatus | null
}

/** Rows without a producing run (logs from before migration 5) count as complete. */
const isComplete = (status: RunStatus | null): boolean => status === null || status === 'completed'

/** Per model run: its results keyed by epsKey, plus every partial result found. */
export function readRunResults(db: Database.Database, ids: readonly number[], includePartial: boolean): { byRun: Map<number, Map<string, RunResult>>; partial: PartialResult[] } {
  const byRun = new Map<number, Map<string, RunResult>>(ids.map((id) => [id, new Map()]))
  if (ids.length === 0) return { byRun, partial: [] }
  const rows = db
    .prepare(
      `SELECT e.id, e.run_id, e.eval_run_id, e.attack, e.norm, e.epsilon, e.accuracy, e.n, r.status FROM eval_results e
       LEFT JOIN runs r ON r.id = e.eval_run_id WHERE e.run_id IN (${ids.map(() => '?').join(',')}) ORDER BY e.id`
    )
    .all(...ids) as Row[]
  // run → cell → evaluation run → its rows (seeds); insertion order is row order, so the last is the latest.
  const evaluations = new Map<number, Map<string, Map<number | null, Row[]>>>()
  for (const row of rows) {
    const cells = evaluations.get(row.run_id) ?? new Map<string, Map<number | null, Row[]>>()
    evaluations.set(row.run_id, cells)
    const key = epsKey(row.attack, row.norm, row.epsilon)
    const byEval = cells.get(key) ?? new Map<number | null, Row[]>()
    cells.set(key, byEval)
    // Re-inserting moves an evaluation to the end, so a newer row of it keeps it the latest.
    const list = byEval.get(row.eval_run_id) ?? []
    byEval.delete(row.eval_run_id)
    byEval.set(row.eval_run_id, [...list, row])
  }
  const partial: PartialResult[] = []
  for (const [runId, cells] of evaluations) {
    for (const [key, byEval] of cells) {
      const runs = [...byEval.values()]
      for (const list of runs) {
        const first = list[0]
        if (!isComplete(first.status) && first.eval_run_id !== null)
          partial.push({ runId, evalRunId: first.eval_run_id, status: first.status as RunStatus, attack: first.attack, norm: first.norm, epsilon: first.epsilon })
      }
      const complete = runs.filter((list) => isComplete(list[0].status)).at(-1)
      const chosen = complete ?? (includePartial ? runs.at(-1) : undefined)
      if (!chosen) continue
      const first = chosen[0]
      byRun.get(runId)?.set(key, {
        attack: first.attack,
        norm: first.norm,
        epsilon: first.epsilon,
        accuracy: chosen.reduce((s, r) => s + r.accuracy, 0) / chosen.length,
        samples: first.n,
        evalRunId: first.eval_run_id,
        partialStatus: isComplete(first.status) ? null : first.status
      })
    }
  }
  return { byRun, partial }
}

/** Each run's final test/accuracy (the last step logged), for runs without a clean evaluation. */
export function finalTestAccuracy(db: Database.Database, ids: readonly number[]): Map<number, number> {
  if (ids.length === 0) return new Map()
  const rows = db
    .prepare(`SELECT run_id, value, MAX(step) AS step FROM metrics WHERE name = 'test/accuracy' AND run_id IN (${ids.map(() => '?').join(',')}) GROUP BY run_id`)
    .all(...ids) as Array<{ run_id: number; value: number }>
  return new Map(rows.map((r) => [r.run_id, r.value]))
}
