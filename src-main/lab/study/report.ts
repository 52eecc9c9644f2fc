/**
 * The study report, built from the log: the seed-shaped table (one row per strategy, read from the
 * one results table, store/results-table.ts: mean ± sample std over the seeds that have a cell,
 * unfinished evaluations left out), the ε-curves, the masking checks that fired and why, the
 * generated reading, the measured time per phase and any failures. Formats: report-formats.ts.
 */
import type Database from 'better-sqlite3'
import type { MaskingCheck } from '../../api/evaluation'
import type { Stat } from '../../api/compare'
import type { Study, StudyReport, StudyRow } from '../../api/studies'
import type { ResultsTable } from '../../api/results-table'
import { sameEpsilon } from '../../api/epsilon'
import { latestVerdict } from '../store/evaluations'
import { buildResultsTable } from '../store/results-table'
import { getStudy } from '../store/studies'
import { getRun } from '../store/runs'
import { readResult } from './reading'
import { cutSentence, studyCutFacts } from './cuts'
import { finalTestAccuracy } from '../store/run-results'
import { findDatasetRecord } from '../store/datasets'
import { NEAR_CHANCE, studentFailed } from '../train/student-check'

type Arm = Study['plan']['arms'][number]

const completedModels = (study: Study, arm: Arm) =>
  study.members.filter((m) => m.role === 'model' && m.arm === arm.id && m.status === 'completed').sort((a, b) => a.seed - b.seed)

/** The study's arms as rows of the one results table (store/results-table.ts): its n, ± and partial rules. */
function armsTable(db: Database.Database, study: Study): ResultsTable | null {
  const arms = study.plan.arms.map((arm) => ({ label: arm.label, runIds: completedModels(study, arm).map((m) => m.runId) }))
  const ids = arms.flatMap((a) => a.runIds)
  return ids.length ? buildResultsTable(db, { ids }, arms) : null
}

const isPgd = (a: string) => a === 'pgd'
const isCurve = (a: string) => a === 'pgd' || a === 'pgd-curve'
const isAutoAttack = (a: string) => a.startsWith('autoattack')

/** A row's cell of the first matching attack at ε (L∞ first), as the report's Stat. */
function cellAt(table: ResultsTable | null, row: number, match: (attack: string) => boolean, epsilon: number | null): Stat | null {
  if (!table) return null
  const columns = table.columns.filter(
    (c) => match(c.attack) && (epsilon === null || (c.epsilon !== null && sameEpsilon(c.epsilon, epsilon)))
  )
  const filled = columns.map((c) => table.rows[row].cells[table.columns.indexOf(c)]).filter((c) => c !== null)
  const linf = columns
    .filter((c) => c.norm === 'Linf')
    .map((c) => table.rows[row].cells[table.columns.indexOf(c)])
    .find((c) => c !== null)
  const cell = linf ?? filled[0]
  return cell ? { mean: cell.mean, std: cell.std, n: cell.n } : null
}

const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null)
const pct = (v: number) => `${(v * 100).toFixed(1)}%`

/**
 * Why a row says nothing about robustness: its model sits within 15 points of chance, or (a
 * distilled student) 20 points below its teachers — the distillation job's own rule.
 */
function notLearnt(db: Database.Database, study: Study, arm: Arm, clean: Stat | null, chance: number | null): string | null {
  if (!clean || chance === null) return null
  if (arm.strategy.startsWith('distillation')) {
    const teachers = study.members.filter((m) => m.role === 'teacher' && m.status === 'completed').map((m) => m.runId)
    const teacherAccuracy = mean([...finalTestAccuracy(db, teachers).values()])
    return studentFailed({ testAccuracy: clean.mean, teacherAccuracy, chance })?.message ?? null
  }
  if (clean.mean > chance + NEAR_CHANCE) return null
  return `The model did not learn: its clean accuracy ${pct(clean.mean)} is within ${(NEAR_CHANCE * 100).toFixed(0)} points of chance (${pct(chance)}), so its robustness numbers describe nothing.`
}

function rowOf(db: Database.Database, study: Study, arm: Arm, index: number, table: ResultsTable | null, chance: number | null): StudyRow {
  const { plan } = study
  const models = completedModels(study, arm)
  const verdicts = models.map((m) => latestVerdict(db, m.runId)).filter((v) => v !== null)
  const firedCount = new Map<number, { check: MaskingCheck; seeds: number }>()
  for (const v of verdicts)
    for (const c of v.checks)
      if (c.status === 'fired') {
        const seen = firedCount.get(c.id)
        firedCount.set(c.id, { check: seen?.check ?? c, seeds: (seen?.seeds ?? 0) + 1 })
      }
  const clean = cellAt(table, index, (a) => a === 'clean', null)
  return {
    arm: arm.id,
    label: arm.label,
    modelRunIds: models.map((m) => m.runId),
    clean,
    fgsm: plan.epsilons.map((eps) => cellAt(table, index, (a) => a === 'fgsm', eps)),
    pgd: cellAt(table, index, isPgd, plan.epsilon),
    autoattack: cellAt(table, index, isAutoAttack, plan.epsilon),
    verdict: table?.rows[index].verdict ?? null,
    verdicts: verdicts.map((v) => v.verdict),
    fired: [...firedCount.values()]
      .sort((a, b) => a.check.id - b.check.id)
      .map(({ check, seeds }) => ({ id: check.id, name: check.name, seeds, strength: check.strength, summary: check.summary })),
    checks: verdicts[0]?.checks ?? [],
    notLearnt: notLearnt(db, study, arm, clean, chance)
  }
}

/** FGSM and PGD accuracy against every ε the arm's models were attacked at (the table's columns). */
function curvesOf(study: Study, table: ResultsTable | null): StudyReport['curves'] {
  const out: StudyReport['curves'] = []
  if (!table) return out
  study.plan.arms.forEach((arm, index) => {
    for (const [attack, match] of [
      ['FGSM', (a: string) => a === 'fgsm'],
      ['PGD', isCurve]
    ] as const) {
      const eps = [
        ...new Set(table.columns.filter((c) => match(c.attack) && c.epsilon !== null && c.epsilon > 0).map((c) => c.epsilon as number))
      ].sort((a, b) => a - b)
      const points = eps.flatMap((epsilon) => {
        const s = cellAt(table, index, match, epsilon)
        return s ? [{ epsilon, accuracy: s }] : []
      })
      if (points.length) out.push({ attack, arm: arm.id, label: arm.label, points })
    }
  })
  return out
}

/** Measured wall time of the study's runs, summed per phase. */
function timingsOf(db: Database.Database, study: Study): Record<string, number> {
  const t: Record<string, number> = {}
  const phase: Record<string, string> = { model: 'training', teacher: 'training', eval: 'full evaluations', sweep: 'FGSM ε sweeps' }
  for (const m of study.members) {
    const r = getRun(db, m.runId)
    if (!r.startedAt || !r.finishedAt || r.kind === 'wrapped') continue
    const key = phase[m.role]
    t[key] = (t[key] ?? 0) + (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000
  }
  if (study.seconds !== null) t['study wall time'] = study.seconds
  return t
}

export function buildStudyReport(db: Database.Database, studyId: number): StudyReport {
  const study = getStudy(db, studyId)
  const table = armsTable(db, study)
  const classes = findDatasetRecord(db, study.plan.dataset)?.info.classes.length
  const chance = classes ? 1 / classes : null
  const rows = study.plan.arms.map((arm, i) => rowOf(db, study, arm, i, table, chance))
  const { members, plan, ...summary } = study
  const cutFacts = studyCutFacts(plan)
  const report: StudyReport = {
    study: summary,
    plan,
    rows,
    curves: curvesOf(study, table),
    reading: [],
    cuts: cutFacts.map(cutSentence),
    cutFacts,
    chance,
    timings: timingsOf(db, study),
    failures: members.filter((m) => m.status !== 'completed').map((m) => ({ runId: m.runId, name: m.name, error: m.error }))
  }
  report.reading = readResult(report)
  return report
}
