/**
 * The study report, built from the log: the seed-shaped table (one row per strategy, mean ± sample
 * std over its seeds), the ε-curves, the masking checks that fired and why, the generated reading,
 * the measured time per phase and any failures. Formats live in report-formats.ts.
 */
import type Database from 'better-sqlite3'
import type { MaskingCheck } from '../../api/evaluation'
import type { Stat } from '../../api/log'
import type { Study, StudyReport, StudyRow } from '../../api/studies'
import { latestVerdict, listEvaluations } from '../store/evaluations'
import { stat, worstVerdict } from '../store/compare'
import { getStudy } from './store'
import { readResult } from './reading'

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
const statOf = (values: number[]): Stat | null => (values.length ? stat(values) : null)

type Evals = ReturnType<typeof listEvaluations>

function pick(evals: Evals, match: (attack: string) => boolean, epsilon: number | null): number | null {
  const hits = evals.filter((e) => match(e.attack) && (epsilon === null || close(e.epsilon, epsilon)))
  const row = hits.find((e) => e.norm === 'Linf') ?? hits[0]
  return row ? row.accuracy : null
}

const isPgd = (a: string) => a === 'pgd'
const isCurve = (a: string) => a === 'pgd' || a === 'pgd-curve'
const isAutoAttack = (a: string) => a.startsWith('autoattack')

function rowOf(db: Database.Database, study: Study, arm: { id: string; label: string }): StudyRow {
  const { plan } = study
  const models = study.members.filter((m) => m.role === 'model' && m.arm === arm.id && m.status === 'completed').sort((a, b) => a.seed - b.seed)
  const evals = models.map((m) => listEvaluations(db, m.runId))
  const values = (f: (e: Evals) => number | null) => evals.map(f).filter((v): v is number => v !== null)
  const verdicts = models.map((m) => latestVerdict(db, m.runId)).filter((v) => v !== null)
  const firedCount = new Map<number, { check: MaskingCheck; seeds: number }>()
  for (const v of verdicts)
    for (const c of v.checks)
      if (c.status === 'fired') {
        const seen = firedCount.get(c.id)
        firedCount.set(c.id, { check: seen?.check ?? c, seeds: (seen?.seeds ?? 0) + 1 })
      }
  return {
    arm: arm.id,
    label: arm.label,
    modelRunIds: models.map((m) => m.runId),
    clean: statOf(values((e) => pick(e, (a) => a === 'clean', null))),
    fgsm: plan.epsilons.map((eps) => statOf(values((e) => pick(e, (a) => a === 'fgsm', eps)))),
    pgd: statOf(values((e) => pick(e, isPgd, plan.epsilon))),
    autoattack: statOf(values((e) => pick(e, isAutoAttack, plan.epsilon))),
    verdict: worstVerdict(verdicts.map((v) => v.verdict)),
    verdicts: verdicts.map((v) => v.verdict),
    fired: [...firedCount.values()]
      .sort((a, b) => a.check.id - b.check.id)
      .map(({ check, seeds }) => ({ id: check.id, name: check.name, seeds, strength: check.strength, summary: check.summary })),
    checks: verdicts[0]?.checks ?? []
  }
}

function curvesOf(db: Database.Database, study: Study): StudyReport['curves'] {
  const out: StudyReport['curves'] = []
  for (const arm of study.plan.arms) {
    const models = study.members.filter((m) => m.role === 'model' && m.arm === arm.id && m.status === 'completed')
    const evals = models.map((m) => listEvaluations(db, m.runId))
    for (const [attack, match] of [
      ['FGSM', (a: string) => a === 'fgsm'],
      ['PGD', isCurve]
    ] as const) {
      const eps = [...new Set(evals.flatMap((e) => e.filter((r) => match(r.attack) && r.epsilon > 0).map((r) => r.epsilon)))].sort((a, b) => a - b)
      const points = eps.flatMap((epsilon) => {
        const s = statOf(evals.map((e) => pick(e, match, epsilon)).filter((v): v is number => v !== null))
        return s ? [{ epsilon, accuracy: s }] : []
      })
      if (points.length) out.push({ attack, arm: arm.id, label: arm.label, points })
    }
  }
  return out
}

/** Measured wall time of the study's runs, summed per phase. */
function timingsOf(db: Database.Database, study: Study): Record<string, number> {
  const t: Record<string, number> = {}
  const get = db.prepare('SELECT kind, started_at, finished_at FROM runs WHERE id = ?')
  const phase: Record<string, string> = { model: 'training', teacher: 'training', eval: 'full evaluations', sweep: 'FGSM ε sweeps' }
  for (const m of study.members) {
    const r = get.get(m.runId) as { kind: string; started_at: string | null; finished_at: string | null } | undefined
    if (!r?.started_at || !r.finished_at || r.kind === 'wrapped') continue
    const key = phase[m.role]
    t[key] = (t[key] ?? 0) + (Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000
  }
  if (study.seconds !== null) t['study wall time'] = study.seconds
  return t
}

export function buildStudyReport(db: Database.Database, studyId: number): StudyReport {
  const study = getStudy(db, studyId)
  const rows = study.plan.arms.map((arm) => rowOf(db, study, arm))
  const { members, plan, ...summary } = study
  const report: StudyReport = {
    study: summary,
    plan,
    rows,
    curves: curvesOf(db, study),
    reading: [],
    timings: timingsOf(db, study),
    failures: members.filter((m) => m.status !== 'completed').map((m) => ({ runId: m.runId, name: m.name, error: m.error }))
  }
  report.reading = readResult(report)
  return report
}
