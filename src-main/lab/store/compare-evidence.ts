/**
 * The parts of a comparison that come from the evaluation tables (masking verdicts, per-sample
 * outcomes). Those tables belong to the evaluation code and arrive with its migration; until a log
 * has them, these parts say `available: false` and why, rather than pretending to be empty.
 */
import type Database from 'better-sqlite3'
import type { Comparison } from '../../api/log'

/** Results at the same attack, norm and ε (ε compared to 9 significant digits: 8/255 is 8/255). */
export const epsKey = (attack: string, norm: string, epsilon: number): string => `${attack}|${norm}|${Number(epsilon.toPrecision(9))}`

/** Clean first, then single-step, iterative and ensemble attacks, as the seed's table reads. */
export function attackOrder(attack: string): number {
  const order = ['clean', 'fgsm', 'rfgsm', 'r-fgsm', 'pgd', 'bim', 'apgd-ce', 'apgd-dlr', 'apgd-t', 'fab-t', 'square', 'cw-l2', 'autoattack']
  const i = order.indexOf(attack.toLowerCase())
  return i < 0 ? order.length : i
}

function columns(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as { name: string }[]).map((c) => c.name))
}

function findTable(db: Database.Database, candidates: readonly string[], needed: readonly string[]): { name: string; cols: Set<string> } | null {
  for (const name of candidates) {
    const cols = columns(db, name)
    if (cols.size && needed.every((c) => cols.has(c))) return { name, cols }
  }
  return null
}

const VERDICT_TABLES = ['masking_verdicts', 'verdicts']
const SAMPLE_TABLES = ['sample_outcomes', 'eval_samples']

export function readVerdicts(db: Database.Database, ids: readonly number[]): Comparison['verdicts'] {
  const t = findTable(db, VERDICT_TABLES, ['run_id', 'verdict'])
  if (!t) return { available: false, reason: 'this log has no masking-verdict table yet (no evaluation has written one)', perRun: ids.map((runId) => ({ runId, verdict: null, fired: [] })) }
  const firedCol = t.cols.has('fired_json') ? 'fired_json' : t.cols.has('fired') ? 'fired' : null
  const latest = db.prepare(`SELECT verdict${firedCol ? `, ${firedCol} AS fired` : ''} FROM ${t.name} WHERE run_id = ? ORDER BY rowid DESC LIMIT 1`)
  return {
    available: true,
    perRun: ids.map((runId) => {
      const row = latest.get(runId) as { verdict: string; fired?: string | null } | undefined
      let fired: number[] = []
      try {
        const parsed = row?.fired ? JSON.parse(row.fired) : []
        if (Array.isArray(parsed)) fired = parsed.filter((x): x is number => Number.isInteger(x))
      } catch {
        /* an unreadable list of checks shows as none fired; the verdict itself still counts */
      }
      return { runId, verdict: row?.verdict ?? null, fired }
    })
  }
}

/**
 * Per attack × ε, which test samples each run gets right: only samples every compared run was
 * evaluated on are aligned (the evaluation uses the same stratified subset per dataset).
 */
export function readAgreement(db: Database.Database, ids: readonly number[]): Comparison['agreement'] {
  const t = findTable(db, SAMPLE_TABLES, ['result_id', 'sample_index'])
  const correctCol = t && (['adversarial_correct', 'adv_correct', 'correct'] as const).find((c) => t.cols.has(c))
  if (!t || !correctCol) return { available: false, reason: 'this log has no per-sample outcome table yet (no evaluation has stored per-sample outcomes)', cells: [] }
  const results = db
    .prepare(`SELECT id, run_id, attack, norm, epsilon FROM eval_results WHERE run_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`)
    .all(...ids) as Array<{ id: number; run_id: number; attack: string; norm: string; epsilon: number }>
  // The latest result of each run per cell (one seed) is the one compared sample by sample.
  const cells = new Map<string, { attack: string; norm: string; epsilon: number; resultOf: Map<number, number> }>()
  for (const r of results) {
    const key = epsKey(r.attack, r.norm, r.epsilon)
    let c = cells.get(key)
    if (!c) cells.set(key, (c = { attack: r.attack, norm: r.norm, epsilon: r.epsilon, resultOf: new Map() }))
    c.resultOf.set(r.run_id, r.id)
  }
  const outcomes = db.prepare(`SELECT sample_index, ${correctCol} AS ok FROM ${t.name} WHERE result_id = ? ORDER BY sample_index`).raw(true)
  const out: Comparison['agreement']['cells'] = []
  for (const c of [...cells.values()].sort((a, b) => attackOrder(a.attack) - attackOrder(b.attack) || a.epsilon - b.epsilon)) {
    const maps = ids.map((id) => {
      const rid = c.resultOf.get(id)
      return rid === undefined ? null : new Map((outcomes.all(rid) as [number, number][]).map(([i, ok]) => [i, ok === 1]))
    })
    const present = maps.filter((m): m is Map<number, boolean> => m !== null)
    if (present.length === 0 || present.every((m) => m.size === 0)) continue
    const samples = [...present[0].keys()].filter((i) => present.every((m) => m.has(i))).sort((a, b) => a - b)
    const correct = maps.map((m) => (m ? samples.map((i) => m.get(i) as boolean) : null))
    let allCorrect = 0
    let noneCorrect = 0
    samples.forEach((_, j) => {
      const oks = correct.filter((r): r is boolean[] => r !== null).map((r) => r[j])
      if (oks.every(Boolean)) allCorrect++
      if (!oks.some(Boolean)) noneCorrect++
    })
    out.push({ attack: c.attack, norm: c.norm, epsilon: c.epsilon, samples, correct, allCorrect, noneCorrect })
  }
  return { available: true, cells: out }
}
