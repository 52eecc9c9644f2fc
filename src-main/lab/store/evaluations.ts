/**
 * Evaluations in the log. Results belong to the model run they measure (eval_results.run_id) and
 * name the attack/eval/sweep run that produced them (eval_run_id), so one query per model run gives
 * everything the comparison views need: accuracy per attack × norm × ε (mean ± std over seeds),
 * the scores (CLEVER, Lipschitz) and the latest gradient-masking verdict.
 */
import type Database from 'better-sqlite3'
import type { EvaluationRow, MaskingCheck, MaskingVerdict, Score, Verdict } from '../../api/evaluation'
import { chooseEvaluations, type ChosenEvaluation } from './run-results'

/** What an evaluation job sends to the main thread to be written (the only writer of the log). */
export type EvalRecord =
  | {
      type: 'result'
      /** The model run measured. */
      runId: number
      attack: string
      norm: string
      epsilon: number
      seed: number
      n: number
      accuracy: number
      cleanAccuracy: number | null
      params: Record<string, unknown>
      seconds: number | null
      samples?: SampleOutcomes
    }
  | { type: 'score'; runId: number; metric: string; norm: string; value: number | null; details: Record<string, unknown> }
  | { type: 'verdict'; runId: number; verdict: Verdict; fired: number[]; checks: MaskingCheck[] }

export interface SampleOutcomes {
  indices: Int32Array
  labels: Int32Array
  cleanPredictions: Int32Array
  adversarialPredictions: Int32Array
  /** NaN where the attack yields none. */
  perturbationNorms: Float32Array | null
}

/** Writes one record; returns the new row id. */
export function writeEvalRecord(db: Database.Database, evalRunId: number, record: EvalRecord): number {
  const now = new Date().toISOString()
  switch (record.type) {
    case 'result': {
      return db.transaction(() => {
        const { lastInsertRowid } = db
          .prepare(
            `INSERT INTO eval_results (run_id, eval_run_id, attack, norm, epsilon, seed, n, accuracy, clean_accuracy, params_json, seconds, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(
            record.runId,
            evalRunId,
            record.attack,
            record.norm,
            record.epsilon,
            record.seed,
            record.n,
            record.accuracy,
            record.cleanAccuracy,
            JSON.stringify(record.params),
            record.seconds,
            now
          )
        const id = Number(lastInsertRowid)
        const s = record.samples
        if (s) {
          const insert = db.prepare(
            `INSERT OR REPLACE INTO eval_samples (result_id, sample_index, label, clean_prediction, adversarial_prediction, clean_correct, adversarial_correct, perturbation_norm)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
          )
          for (let i = 0; i < s.indices.length; i++) {
            const norm = s.perturbationNorms ? s.perturbationNorms[i] : NaN
            insert.run(
              id,
              s.indices[i],
              s.labels[i],
              s.cleanPredictions[i],
              s.adversarialPredictions[i],
              s.cleanPredictions[i] === s.labels[i] ? 1 : 0,
              s.adversarialPredictions[i] === s.labels[i] ? 1 : 0,
              Number.isNaN(norm) ? null : norm
            )
          }
        }
        return id
      })()
    }
    case 'score': {
      const { lastInsertRowid } = db
        .prepare(
          'INSERT INTO eval_scores (run_id, eval_run_id, metric, norm, value, details_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
        )
        .run(
          record.runId,
          evalRunId,
          record.metric,
          record.norm,
          record.value !== null && Number.isFinite(record.value) ? record.value : null,
          JSON.stringify(record.details),
          now
        )
      return Number(lastInsertRowid)
    }
    case 'verdict': {
      const { lastInsertRowid } = db
        .prepare('INSERT INTO masking_verdicts (run_id, eval_run_id, verdict, fired, checks_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(record.runId, evalRunId, record.verdict, record.fired.join(','), JSON.stringify(record.checks), now)
      return Number(lastInsertRowid)
    }
  }
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sampleStd(values: number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1))
}

/**
 * Accuracy of one model run per attack × norm × ε, from its most recent *completed* evaluation of
 * that combination (older ones stay in the log, superseded; store/run-results.ts chooses), mean ±
 * std over that evaluation's seeds, with the drop from clean accuracy on the same samples. A cell
 * only an unfinished (cancelled, failed, …) evaluation measured is listed with its partialStatus.
 */
export function listEvaluations(db: Database.Database, runId: number): EvaluationRow[] {
  const cells = chooseEvaluations(db, [runId], true).byRun.get(runId) ?? new Map<string, ChosenEvaluation>()
  return [...cells.values()].map(({ rows: group, partialStatus }) => {
    const accuracies = group.map((r) => r.accuracy)
    const cleans = group.map((r) => r.clean_accuracy).filter((v): v is number => v !== null)
    const accuracy = mean(accuracies)
    const cleanAccuracy = cleans.length ? mean(cleans) : null
    const last = group[group.length - 1]
    const isClean = last.attack === 'clean'
    const drop = cleanAccuracy !== null && !isClean ? cleanAccuracy - accuracy : null
    return {
      runId,
      attack: last.attack,
      norm: last.norm,
      epsilon: last.epsilon,
      n: last.n,
      accuracy,
      std: sampleStd(accuracies),
      seeds: group.length,
      cleanAccuracy,
      drop,
      relativeDrop: drop !== null && cleanAccuracy ? drop / cleanAccuracy : null,
      resultIds: group.map((r) => r.id),
      evalRunId: last.eval_run_id,
      params: JSON.parse(last.params_json) as Record<string, unknown>,
      createdAt: last.created_at,
      ...(partialStatus ? { partialStatus } : {})
    }
  })
}

interface VerdictRow {
  id: number
  run_id: number
  eval_run_id: number | null
  verdict: Verdict
  fired: string
  checks_json: string
  created_at: string
}

const toVerdict = (row: VerdictRow): MaskingVerdict => ({
  id: row.id,
  runId: row.run_id,
  evalRunId: row.eval_run_id,
  verdict: row.verdict,
  fired: row.fired ? row.fired.split(',').map(Number) : [],
  checks: JSON.parse(row.checks_json) as MaskingCheck[],
  createdAt: row.created_at
})

export function latestVerdict(db: Database.Database, runId: number): MaskingVerdict | null {
  const row = db.prepare('SELECT * FROM masking_verdicts WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId) as VerdictRow | undefined
  return row ? toVerdict(row) : null
}

/** The latest verdict of each model run (of the given ones, or of every run that has one). */
export function latestVerdicts(db: Database.Database, runIds?: number[]): MaskingVerdict[] {
  const rows = db
    .prepare('SELECT * FROM masking_verdicts WHERE id IN (SELECT MAX(id) FROM masking_verdicts GROUP BY run_id) ORDER BY run_id')
    .all() as VerdictRow[]
  const wanted = runIds ? new Set(runIds) : null
  return rows.filter((r) => !wanted || wanted.has(r.run_id)).map(toVerdict)
}

/** The latest value of each score (metric × norm) of a model run. */
export function listScores(db: Database.Database, runId: number): Score[] {
  const rows = db
    .prepare(
      'SELECT * FROM eval_scores WHERE id IN (SELECT MAX(id) FROM eval_scores WHERE run_id = ? GROUP BY metric, norm) ORDER BY metric, norm'
    )
    .all(runId) as {
    run_id: number
    eval_run_id: number | null
    metric: string
    norm: string
    value: number | null
    details_json: string
    created_at: string
  }[]
  return rows.map((r) => ({
    runId: r.run_id,
    evalRunId: r.eval_run_id,
    metric: r.metric,
    norm: r.norm,
    value: r.value,
    details: JSON.parse(r.details_json),
    createdAt: r.created_at
  }))
}

export function listSampleOutcomes(db: Database.Database, resultId: number) {
  const rows = db.prepare('SELECT * FROM eval_samples WHERE result_id = ? ORDER BY sample_index').all(resultId) as {
    sample_index: number
    label: number
    clean_prediction: number
    adversarial_prediction: number
    clean_correct: number
    adversarial_correct: number
    perturbation_norm: number | null
  }[]
  return rows.map((r) => ({
    sampleIndex: r.sample_index,
    label: r.label,
    cleanPrediction: r.clean_prediction,
    adversarialPrediction: r.adversarial_prediction,
    cleanCorrect: r.clean_correct === 1,
    adversarialCorrect: r.adversarial_correct === 1,
    perturbationNorm: r.perturbation_norm
  }))
}

/**
 * Repeats of one experiment (model runs with the same config hash, trained with different seeds):
 * per attack × norm × ε, the mean ± std over the runs of each run's own mean — the seed study's
 * "mean of 3 runs". Only combinations every run was evaluated on are reported.
 */
export function summariseRepeats(db: Database.Database, runIds: number[]): RepeatRow[] {
  // Partial results (an unfinished evaluation's) never enter the summary.
  const perRun = runIds.map((id) => listEvaluations(db, id).filter((r) => r.partialStatus === undefined))
  const keys = new Map<string, { attack: string; norm: string; epsilon: number }>()
  for (const rows of perRun)
    for (const r of rows) keys.set(`${r.attack}\u0000${r.norm}\u0000${r.epsilon}`, { attack: r.attack, norm: r.norm, epsilon: r.epsilon })
  const out: RepeatRow[] = []
  for (const [key, k] of keys) {
    const values = perRun.map((rows) => rows.find((r) => `${r.attack}\u0000${r.norm}\u0000${r.epsilon}` === key)?.accuracy)
    if (values.some((v) => v === undefined)) continue
    const v = values as number[]
    out.push({ ...k, runIds, accuracies: v, mean: mean(v), std: sampleStd(v) })
  }
  return out
}

export interface RepeatRow {
  attack: string
  norm: string
  epsilon: number
  runIds: number[]
  accuracies: number[]
  mean: number
  std: number
}

export function hasEvalResult(db: Database.Database, resultId: number): boolean {
  return db.prepare('SELECT 1 FROM eval_results WHERE id = ?').get(resultId) !== undefined
}

/** The ε at which an attack was evaluated on any of these model runs, ascending. */
export function evaluatedEpsilons(db: Database.Database, runIds: readonly number[], attack: string): number[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT epsilon FROM eval_results WHERE attack = ? AND run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY epsilon`
    )
    .all(attack, ...runIds) as { epsilon: number }[]
  return rows.map((r) => r.epsilon)
}

/** The most test images any evaluation of these model runs used (0 when none). */
export function largestEvaluation(db: Database.Database, runIds: readonly number[]): number {
  return (
    (
      db.prepare(`SELECT MAX(n) AS n FROM eval_results WHERE run_id IN (${runIds.map(() => '?').join(',')})`).get(...runIds) as {
        n: number | null
      }
    ).n ?? 0
  )
}
