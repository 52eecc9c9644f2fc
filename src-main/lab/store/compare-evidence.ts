/**
 * The parts of a comparison that come from the evaluation tables (migration 5, store/evaluations):
 * masking verdicts and per-sample outcomes. A log opened by this version always has the tables;
 * `available: false` remains for a log whose schema predates them.
 */
import type Database from 'better-sqlite3'
import type { Comparison } from '../../api/compare'
import { latestVerdicts } from './evaluations'
import { epsKey } from './run-results'

export { epsKey }

/** Clean first, then single-step, iterative and ensemble attacks, as the seed's table reads. */
export function attackOrder(attack: string): number {
  const order = [
    'clean',
    'fgsm',
    'rfgsm',
    'r-fgsm',
    'pgd',
    'bim',
    'apgd-ce',
    'apgd-dlr',
    'apgd-t',
    'fab-t',
    'square',
    'cw-l2',
    'autoattack'
  ]
  const i = order.indexOf(attack.toLowerCase())
  return i < 0 ? order.length : i
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}

export function readVerdicts(db: Database.Database, ids: readonly number[]): Comparison['verdicts'] {
  if (!hasTable(db, 'masking_verdicts'))
    return {
      available: false,
      reason: 'this log predates masking verdicts (no masking_verdicts table)',
      perRun: ids.map((runId) => ({ runId, verdict: null, fired: [] }))
    }
  const byRun = new Map(latestVerdicts(db, [...ids]).map((v) => [v.runId, v]))
  return {
    available: true,
    perRun: ids.map((runId) => ({ runId, verdict: byRun.get(runId)?.verdict ?? null, fired: byRun.get(runId)?.fired ?? [] }))
  }
}

/**
 * Per attack × ε, which test samples each run gets right under attack. Each run contributes its
 * latest result of that cell (one seed); only samples every contributing run was evaluated on are
 * aligned (the evaluation uses the same stratified subset per dataset, so normally all of them).
 */
export function readAgreement(db: Database.Database, ids: readonly number[]): Comparison['agreement'] {
  if (!hasTable(db, 'eval_samples'))
    return { available: false, reason: 'this log predates per-sample outcomes (no eval_samples table)', cells: [] }
  const results = db
    .prepare(
      `SELECT id, run_id, attack, norm, epsilon FROM eval_results WHERE run_id IN (${ids.map(() => '?').join(',')}) AND EXISTS (SELECT 1 FROM eval_samples s WHERE s.result_id = eval_results.id) ORDER BY id`
    )
    .all(...ids) as Array<{ id: number; run_id: number; attack: string; norm: string; epsilon: number }>
  const cells = new Map<string, { attack: string; norm: string; epsilon: number; resultOf: Map<number, number> }>()
  for (const r of results) {
    const key = epsKey(r.attack, r.norm, r.epsilon)
    let c = cells.get(key)
    if (!c) cells.set(key, (c = { attack: r.attack, norm: r.norm, epsilon: r.epsilon, resultOf: new Map() }))
    c.resultOf.set(r.run_id, r.id)
  }
  const outcomes = db
    .prepare('SELECT sample_index, adversarial_correct FROM eval_samples WHERE result_id = ? ORDER BY sample_index')
    .raw(true)
  const out: Comparison['agreement']['cells'] = []
  for (const c of [...cells.values()].sort(
    (a, b) => attackOrder(a.attack) - attackOrder(b.attack) || a.attack.localeCompare(b.attack) || a.epsilon - b.epsilon
  )) {
    const maps = ids.map((id) => {
      const rid = c.resultOf.get(id)
      return rid === undefined ? null : new Map((outcomes.all(rid) as [number, number][]).map(([i, ok]) => [i, ok === 1]))
    })
    const present = maps.filter((m): m is Map<number, boolean> => m !== null)
    const samples = [...present[0].keys()].filter((i) => present.every((m) => m.has(i)))
    const correct = maps.map((m) => (m ? samples.map((i) => m.get(i) as boolean) : null))
    const rows = correct.filter((r): r is boolean[] => r !== null)
    let allCorrect = 0
    let noneCorrect = 0
    samples.forEach((_, j) => {
      if (rows.every((r) => r[j])) allCorrect++
      if (!rows.some((r) => r[j])) noneCorrect++
    })
    out.push({ attack: c.attack, norm: c.norm, epsilon: c.epsilon, samples, correct, allCorrect, noneCorrect })
  }
  return { available: true, cells: out }
}
