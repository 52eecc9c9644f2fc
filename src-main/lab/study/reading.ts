/**
 * A short reading of a study's result in plain words, generated from its table — the sentences a
 * careful reader of the seed write-up would say: how far FGSM brings the baseline down; whether a
 * defence's FGSM gain survives AutoAttack or is masking, and which checks said so.
 */
import type { Stat } from '../../api/compare'
import type { StudyReport, StudyRow } from '../../api/studies'
import { formatEpsilon } from '../../api/epsilon'
import { statText } from '../../api/results-text'

/** mean ± std in the results table's words (api/results-table.ts). */
const pct = (s: Stat | null): string => (s === null ? '—' : statText(s.mean, s.std, s.n))
const points = (a: number, b: number): string => `${Math.abs((a - b) * 100).toFixed(1)} points`

/** "1", "1 and 2", "1, 2 and 8". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** Differences smaller than this (in accuracy) are read as "about the same". */
const SAME = 0.05
/** A gap FGSM − AutoAttack above this is the seed's "FGSM overestimates the defence". */
const OVERESTIMATE = 0.2

function headline(row: StudyRow, report: StudyReport): Stat | null {
  const i = report.plan.epsilons.findIndex((e) => Math.abs(e - report.plan.epsilon) < 1e-12)
  return row.fgsm[i >= 0 ? i : row.fgsm.length - 1] ?? null
}

function checksPhrase(row: StudyRow): string {
  if (!row.fired.length) return 'no masking check fired'
  const ids = row.fired.map((f) => String(f.id))
  return `check${ids.length > 1 ? 's' : ''} ${listWords(ids)} fired (${row.fired.map((f) => f.name).join('; ')})`
}

function defenceSentence(row: StudyRow, base: StudyRow, report: StudyReport): string | null {
  const eps = formatEpsilon(report.plan.epsilon)
  const f = headline(row, report)
  const fb = headline(base, report)
  const aa = row.autoattack
  const aab = base.autoattack
  if (!f || !fb) return null
  const verdict = row.verdict ? ` Verdict: ${row.verdict}.` : ''
  const raised = f.mean > fb.mean + SAME
  if (!raised)
    return `${row.label} did not raise FGSM accuracy at ε = ${eps} (${pct(f)} against the baseline's ${pct(fb)}); ${checksPhrase(row)}.${verdict}`
  if (!aa)
    return `${row.label} raised FGSM accuracy at ε = ${eps} from ${pct(fb)} to ${pct(f)}; it has no AutoAttack result to confirm the gain.${verdict}`
  const gap = f.mean - aa.mean
  if (gap > OVERESTIMATE || row.verdict === 'yes') {
    const nearBase = aab && Math.abs(aa.mean - aab.mean) <= SAME ? `, back at the baseline's ${pct(aab)}` : ''
    return `${row.label} raised FGSM accuracy at ε = ${eps} from ${pct(fb)} to ${pct(f)}, but AutoAttack accuracy is ${pct(aa)}${nearBase} — FGSM overestimates it by ${points(f.mean, aa.mean)}; the gain is masking: ${checksPhrase(row)}.${verdict}`
  }
  const robust = aab ? `, ${points(aa.mean, aab.mean)} ${aa.mean >= aab.mean ? 'above' : 'below'} the baseline's ${pct(aab)}` : ''
  return `${row.label} raised FGSM accuracy at ε = ${eps} from ${pct(fb)} to ${pct(f)}, and AutoAttack accuracy stays at ${pct(aa)}${robust}: FGSM and AutoAttack agree within ${points(f.mean, aa.mean)}; ${checksPhrase(row)}.${verdict}`
}

export function readResult(report: StudyReport): string[] {
  const rows = report.rows.filter((r) => r.clean !== null || r.fgsm.some((s) => s !== null))
  if (!rows.length) return ['No model of this study has evaluation results yet.']
  const eps = formatEpsilon(report.plan.epsilon)
  // The reference row: the baseline, or the row FGSM hurts most when there is no baseline.
  const base =
    rows.find((r) => r.arm === 'baseline') ??
    [...rows].sort((a, b) => (headline(a, report)?.mean ?? 1) - (headline(b, report)?.mean ?? 1))[0]
  const out: string[] = []
  const fb = headline(base, report)
  // A model that did not learn gives no evidence either way: say so instead of reading its row,
  // and read no defence against a baseline that did not learn.
  for (const row of rows) if (row.notLearnt) out.push(`${row.label}: no conclusion can be drawn. ${row.notLearnt}`)
  if (base.notLearnt) {
    out.push(`Without a baseline that learnt, no defence of this study can be judged; train longer or on more images.`)
    out.push(scaleSentence(report))
    return out
  }
  if (base.clean && fb) {
    const aa = base.autoattack ? `; AutoAttack leaves ${pct(base.autoattack)}` : ''
    out.push(
      `${base.label} reaches ${pct(base.clean)} clean accuracy; FGSM at ε = ${eps} brings it down to ${pct(fb)} (${points(base.clean.mean, fb.mean)} lower)${aa}. ${base.fired.length ? `Yet ${checksPhrase(base)}` : 'No masking check fired'} (verdict ${base.verdict ?? 'not evaluated'}).`
    )
  }
  for (const row of rows)
    if (row !== base && !row.notLearnt) {
      const s = defenceSentence(row, base, report)
      if (s) out.push(s)
    }
  const masked = rows.filter((r) => r.verdict === 'yes' || r.verdict === 'possible').map((r) => r.label)
  if (masked.length)
    out.push(
      `Gradient masking is suspected for ${listWords(masked)}: judge ${masked.length > 1 ? 'these' : 'it'} by the AutoAttack column, not by FGSM.`
    )
  out.push(scaleSentence(report))
  return out
}

function scaleSentence(report: StudyReport): string {
  const seeds = report.plan.seeds.length
  // The cuts themselves are listed beside the table; the reading only says they apply.
  const cuts = report.cuts.length
    ? ` This is a reduced-scale study (${report.cuts.length} cuts, listed with the table): its numbers are not the write-up's.`
    : ''
  return `Numbers are the mean${seeds > 1 ? ' ± sample std' : ''} over ${seeds} seed${seeds > 1 ? 's' : ''} on ${report.plan.evalImages} test images; ${report.plan.budgetNote}${cuts}`
}
