/**
 * What each model run scored, per attack × norm × ε, read once for every view of the log: a run's
 * value of a cell is the mean over the seeds of its latest evaluation of that cell that completed
 * (or is still running; older ones stay in the log, superseded). Results of an evaluation that was
 * cancelled, failed or interrupted are partial: they are reported separately and stand in for a
 * missing value only when the caller asks (`includePartial`).
 */
import type Database from 'better-sqlite3'
import { isFinalStatus, type RunStatus } from '../../api/runs'
import { epsilonKey } from '../../api/epsilon'
import { METRICS } from '../../api/metrics'

/** Results at the same attack, norm and ε (api/epsilon's epsilonKey: 8/255 is 8/255). */
export const epsKey = (attack: string, norm: string, epsilon: number): string => `${attack}|${norm}|${epsilonKey(epsilon)}`

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

/** An eval_results row with the status of the evaluation run that wrote it. */
export interface StoredResult {
  id: number
  run_id: number
  eval_run_id: number | null
  attack: string
  norm: string
  epsilon: number
  seed: number
  n: number
  accuracy: number
  clean_accuracy: number | null
  params_json: string
  created_at: string
  status: RunStatus | null
}

/** The evaluation a run's cell is read from: its rows (one per seed), and its status when it did not complete. */
export interface ChosenEvaluation {
  rows: StoredResult[]
  partialStatus: RunStatus | null
}

/**
 * Partial: the evaluation ended without completing (cancelled, failed, interrupted). A queued or
 * running one's results count as they stream in (the live table); rows without a producing run
 * (logs from before migration 5) count as complete.
 */
const isComplete = (status: RunStatus | null): boolean => status === null || status === 'completed' || !isFinalStatus(status)

/**
 * Per model run and cell (epsKey): the latest completed evaluation, else — with includePartial —
 * the latest unfinished one; plus every unfinished evaluation's results found on the way.
 */
export function chooseEvaluations(
  db: Database.Database,
  ids: readonly number[],
  includePartial: boolean
): { byRun: Map<number, Map<string, ChosenEvaluation>>; partial: PartialResult[] } {
  const byRun = new Map<number, Map<string, ChosenEvaluation>>(ids.map((id) => [id, new Map()]))
  if (ids.length === 0) return { byRun, partial: [] }
  const rows = db
    .prepare(
      `SELECT e.*, r.status FROM eval_results e LEFT JOIN runs r ON r.id = e.eval_run_id WHERE e.run_id IN (${ids.map(() => '?').join(',')}) ORDER BY e.id`
    )
    .all(...ids) as StoredResult[]
  // run → cell → evaluation run → its rows (seeds), the latest evaluation last.
  const evaluations = new Map<number, Map<string, Map<number | null, StoredResult[]>>>()
  for (const row of rows) {
    const cells = evaluations.get(row.run_id) ?? new Map<string, Map<number | null, StoredResult[]>>()
    evaluations.set(row.run_id, cells)
    const key = epsKey(row.attack, row.norm, row.epsilon)
    const byEval = cells.get(key) ?? new Map<number | null, StoredResult[]>()
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
      for (const [first] of runs)
        if (!isComplete(first.status) && first.eval_run_id !== null)
          partial.push({
            runId,
            evalRunId: first.eval_run_id,
            status: first.status as RunStatus,
            attack: first.attack,
            norm: first.norm,
            epsilon: first.epsilon
          })
      const chosen = runs.filter(([first]) => isComplete(first.status)).at(-1) ?? (includePartial ? runs.at(-1) : undefined)
      if (chosen) byRun.get(runId)?.set(key, { rows: chosen, partialStatus: isComplete(chosen[0].status) ? null : chosen[0].status })
    }
  }
  return { byRun, partial }
}

/** A run's result rows that count (its chosen, completed evaluations, one row per seed), oldest first: what exports write. */
export function completedResultRows(db: Database.Database, runId: number): StoredResult[] {
  const cells = chooseEvaluations(db, [runId], false).byRun.get(runId) ?? new Map<string, ChosenEvaluation>()
  return [...cells.values()].flatMap((c) => c.rows).sort((a, b) => a.id - b.id)
}

/** Per model run: its value of each cell (mean over the chosen evaluation's seeds), plus every partial result found. */
export function readRunResults(
  db: Database.Database,
  ids: readonly number[],
  includePartial: boolean
): { byRun: Map<number, Map<string, RunResult>>; partial: PartialResult[] } {
  const { byRun: chosen, partial } = chooseEvaluations(db, ids, includePartial)
  const byRun = new Map<number, Map<string, RunResult>>()
  for (const [runId, cells] of chosen)
    byRun.set(
      runId,
      new Map(
        [...cells].map(([key, { rows, partialStatus }]) => {
          const first = rows[0]
          const accuracy = rows.reduce((sum, r) => sum + r.accuracy, 0) / rows.length
          return [
            key,
            {
              attack: first.attack,
              norm: first.norm,
              epsilon: first.epsilon,
              accuracy,
              samples: first.n,
              evalRunId: first.eval_run_id,
              partialStatus
            }
          ]
        })
      )
    )
  return { byRun, partial }
}

/** Each run's final test/accuracy (the last step logged), for runs without a clean evaluation. */
export function finalTestAccuracy(db: Database.Database, ids: readonly number[]): Map<number, number> {
  if (ids.length === 0) return new Map()
  const rows = db
    .prepare(
      `SELECT run_id, value, MAX(step) AS step FROM metrics WHERE name = ? AND run_id IN (${ids.map(() => '?').join(',')}) GROUP BY run_id`
    )
    .all(METRICS.testAccuracy, ...ids) as Array<{ run_id: number; value: number }>
  return new Map(rows.map((r) => [r.run_id, r.value]))
}
