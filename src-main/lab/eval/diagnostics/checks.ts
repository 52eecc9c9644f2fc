/**
 * The eight gradient-masking checks and the verdict no / possible / yes. Each check turns numbers
 * measured by a full evaluation into fired / passed / not-run, keeping its numbers as evidence.
 * README.md beside this file explains each check, its source and its threshold.
 */
import type { MaskingCheck, Verdict } from '../../../api/evaluation'
import { formatEpsilon } from '../../../api/epsilon'

export interface MaskingEvidence {
  numClasses: number
  n: number
  epsilon: number
  cleanAccuracy: number
  fgsm: number | null
  pgd: number | null
  /**
   * Attacks run on a subset (AutoAttack and Square, under the smaller budgets) come with FGSM's and
   * PGD's accuracy on the same samples, so every comparison is sample for sample.
   */
  autoattack: { accuracy: number; fgsm: number; pgd: number } | null
  square: { accuracy: number; pgd: number } | null
  transfer: number | null
  /** PGD through BPDA/EOT (only for models with non-differentiable or random layers). */
  adaptive: number | null
  hasMaskingLayers: boolean
  /** PGD accuracy per ε, ascending; the last point is the sanity ε where accuracy must reach chance. */
  curve: { epsilon: number; accuracy: number }[]
  /** Share of clean-correct samples whose loss gradient is exactly zero (AutoAttack's check). */
  zeroGradientShare: number | null
  /** Outputs look like probabilities (each row in [0, 1], summing to 1). */
  probabilityLike: boolean | null
  /** Median gap between the two largest logits. */
  medianTopLogitGap: number | null
  /** Largest change of any logit between two calls on the same inputs. */
  maxLogitChange: number | null
}

/** Thresholds, in accuracy units (0.05 = 5 points) unless said otherwise. See README.md. */
export const THRESHOLDS = {
  iterativeWeaker: 0.02,
  blackBoxStronger: 0.05,
  curveRise: 0.03,
  /** At the sanity ε the accuracy must be within this of chance (1/K). */
  largeEpsilonAboveChance: 0.1,
  zeroGradientsStrong: 0.5,
  saturatedLogitGap: 40,
  randomLogitChange: 1e-4,
  adaptiveStronger: 0.05,
  fgsmGap: 0.2,
  /** …while PGD stays this far above AutoAttack too. */
  pgdGap: 0.1
} as const

/** Names as the UI shows them. */
export const CHECK_NAMES: Record<number, string> = {
  1: 'Iterative attack weaker than single-step',
  2: 'Black-box or transfer beats white-box',
  3: 'Accuracy not falling to chance with ε',
  4: 'Zero input gradients',
  5: 'Saturated or probability-like logits',
  6: 'Randomised predictions',
  7: 'BPDA/EOT beat plain gradients',
  8: 'FGSM far above AutoAttack'
}

type CheckInput = Omit<MaskingCheck, 'name'>

const notRun = (id: number, strength: 'strong' | 'weak', summary: string): CheckInput => ({
  id,
  status: 'not-run',
  strength,
  summary,
  numbers: {}
})
const pct = (v: number) => `${(v * 100).toFixed(1)}%`

export function runChecks(e: MaskingEvidence): MaskingCheck[] {
  const t = THRESHOLDS
  const checks: CheckInput[] = []

  // 1 — PGD should never do worse than FGSM: it starts where FGSM ends up and keeps going.
  if (e.fgsm !== null && e.pgd !== null) {
    const fired = e.pgd > e.fgsm + t.iterativeWeaker
    checks.push({
      id: 1,
      status: fired ? 'fired' : 'passed',
      strength: 'strong',
      summary: `PGD ${pct(e.pgd)} vs FGSM ${pct(e.fgsm)} at ε=${formatEpsilon(e.epsilon)}`,
      numbers: { fgsm: e.fgsm, pgd: e.pgd, threshold: t.iterativeWeaker }
    })
  } else checks.push(notRun(1, 'strong', 'needs FGSM and PGD at the same ε'))

  // 2 — gradient-free attacks know less than white-box ones; when they win, the gradient lies.
  const pairs: { name: string; blackBox: number; whiteBox: number }[] = []
  if (e.square) pairs.push({ name: 'Square', blackBox: e.square.accuracy, whiteBox: e.square.pgd })
  if (e.transfer !== null && e.pgd !== null) pairs.push({ name: 'transfer', blackBox: e.transfer, whiteBox: e.pgd })
  if (pairs.length) {
    const worst = pairs.reduce((a, b) => (b.whiteBox - b.blackBox > a.whiteBox - a.blackBox ? b : a))
    const fired = worst.blackBox < worst.whiteBox - t.blackBoxStronger
    checks.push({
      id: 2,
      status: fired ? 'fired' : 'passed',
      strength: 'strong',
      summary: `${worst.name} ${pct(worst.blackBox)} vs white-box PGD ${pct(worst.whiteBox)} on the same samples`,
      numbers: {
        square: e.square?.accuracy ?? null,
        pgdOnSquareSamples: e.square?.pgd ?? null,
        transfer: e.transfer,
        pgd: e.pgd,
        threshold: t.blackBoxStronger
      }
    })
  } else checks.push(notRun(2, 'strong', 'needs PGD and Square or a transfer attack'))

  // 3 — more budget never helps the model; at a huge ε every image can be turned grey.
  if (e.curve.length >= 2) {
    let rise = 0
    for (let i = 1; i < e.curve.length; i++) rise = Math.max(rise, e.curve[i].accuracy - e.curve[i - 1].accuracy)
    const last = e.curve[e.curve.length - 1]
    const chance = 1 / e.numClasses
    const stuck = last.accuracy > chance + t.largeEpsilonAboveChance
    const fired = rise > t.curveRise || stuck
    checks.push({
      id: 3,
      status: fired ? 'fired' : 'passed',
      strength: 'weak',
      summary: `largest rise ${pct(rise)} along the ε-curve; ${pct(last.accuracy)} left at ε=${formatEpsilon(last.epsilon)} (chance ${pct(chance)})`,
      numbers: { largestRise: rise, largeEpsilon: last.epsilon, accuracyAtLargeEpsilon: last.accuracy, chance }
    })
  } else checks.push(notRun(3, 'weak', 'needs an ε-curve'))

  // 4 — AutoAttack's own check: a zero gradient gives a gradient attack nowhere to go.
  if (e.zeroGradientShare !== null) {
    const share = e.zeroGradientShare
    checks.push({
      id: 4,
      status: share > 0 ? 'fired' : 'passed',
      strength: share >= t.zeroGradientsStrong ? 'strong' : 'weak',
      summary: `${pct(share)} of correctly classified samples have an exactly zero input gradient`,
      numbers: { zeroGradientShare: share }
    })
  } else checks.push(notRun(4, 'weak', 'gradient statistics were not measured'))

  // 5 — softmax outputs or huge logits make the cross-entropy gradient vanish (distillation at T).
  if (e.probabilityLike !== null && e.medianTopLogitGap !== null) {
    const saturated = e.medianTopLogitGap > t.saturatedLogitGap
    const fired = e.probabilityLike || saturated
    checks.push({
      id: 5,
      status: fired ? 'fired' : 'passed',
      strength: 'weak',
      summary: e.probabilityLike
        ? 'outputs look like probabilities, not logits'
        : `median gap between the top two logits ${e.medianTopLogitGap.toFixed(1)}`,
      numbers: { probabilityLike: e.probabilityLike ? 1 : 0, medianTopLogitGap: e.medianTopLogitGap, threshold: t.saturatedLogitGap }
    })
  } else checks.push(notRun(5, 'weak', 'logit statistics were not measured'))

  // 6 — a model that answers differently each time needs EOT to be attacked.
  if (e.maxLogitChange !== null) {
    const fired = e.maxLogitChange > t.randomLogitChange
    checks.push({
      id: 6,
      status: fired ? 'fired' : 'passed',
      strength: 'weak',
      summary: `largest logit change between two identical calls ${e.maxLogitChange.toExponential(2)}`,
      numbers: { maxLogitChange: e.maxLogitChange }
    })
  } else checks.push(notRun(6, 'weak', 'repeatability was not measured'))

  // 7 — seeing through the layer (BPDA / EOT) must not change the result of an honest defence.
  if (e.hasMaskingLayers && e.adaptive !== null && e.pgd !== null) {
    const fired = e.adaptive < e.pgd - t.adaptiveStronger
    checks.push({
      id: 7,
      status: fired ? 'fired' : 'passed',
      strength: 'strong',
      summary: `PGD with BPDA/EOT ${pct(e.adaptive)} vs plain PGD ${pct(e.pgd)}`,
      numbers: { adaptive: e.adaptive, pgd: e.pgd, threshold: t.adaptiveStronger }
    })
  } else
    checks.push(
      notRun(
        7,
        'strong',
        e.hasMaskingLayers ? 'needs PGD with and without BPDA/EOT' : 'the model has no non-differentiable or random layer'
      )
    )

  // 8 — the seed study's lesson: FGSM alone overestimates a masking defence by 20–50 points. An
  // honest model can show such a gap too (FGSM is one step) — but then PGD already closes it; the
  // check fires only when PGD's cross-entropy gradient also stays well above AutoAttack.
  if (e.autoattack) {
    const { accuracy: aa, fgsm, pgd } = e.autoattack
    const gap = fgsm - aa
    const pgdGap = pgd - aa
    const fired = gap > t.fgsmGap && pgdGap > t.pgdGap
    checks.push({
      id: 8,
      status: fired ? 'fired' : 'passed',
      strength: 'weak',
      summary: `FGSM ${pct(fgsm)} and PGD ${pct(pgd)} vs AutoAttack ${pct(aa)} on the same samples: gaps ${pct(gap)} and ${pct(pgdGap)}`,
      numbers: { fgsm, pgd, autoattack: aa, gap, pgdGap, threshold: t.fgsmGap, pgdThreshold: t.pgdGap }
    })
  } else checks.push(notRun(8, 'weak', 'needs FGSM and AutoAttack at the same ε'))

  return checks.map((c) => ({ ...c, name: CHECK_NAMES[c.id] }))
}

/**
 * yes: a strong check fired together with at least one other check (two independent signs);
 * possible: anything fired that does not make "yes";
 * no: nothing fired.
 */
export function verdictOf(checks: MaskingCheck[]): { verdict: Verdict; fired: number[] } {
  const fired = checks.filter((c) => c.status === 'fired')
  const strong = fired.filter((c) => c.strength === 'strong')
  const verdict: Verdict = fired.length === 0 ? 'no' : strong.length >= 1 && fired.length >= 2 ? 'yes' : 'possible'
  return { verdict, fired: fired.map((c) => c.id) }
}
