/**
 * AutoAttack — Croce & Hein, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", ICML 2020. An ensemble as a composition: each attack runs only
 * on the points still classified correctly (robust so far), and a point counts as broken as soon as
 * one attack breaks it (worst case per point).
 *
 *  - standard: APGD-CE (100 steps) → APGD-T (9 targets × 100) → FAB-T (9 targets × 100) → Square (5000 queries)
 *  - rand:     APGD-CE and APGD-DLR (100 steps each) with EOT over 20 samples, for randomised defences
 *  - fast:     APGD-CE (20) → APGD-T (3 × 20) → FAB-T (3 × 20) → Square (500) — a quick look,
 *              NOT the standard AutoAttack budget; results must not be reported as AutoAttack.
 * The budgets used are returned in `stages` and `budget`.
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkCall, choiceSetting, gatherRows, predict, projectToBall, scatterRows, subSeed, swap } from './base'
import { apgdCe, apgdDlr, apgdT } from './apgd'
import { withEot } from './eot'
import { fabT } from './fab'
import { square } from './square'
import type { Attack, AttackParams, AttackResult, AttackStage, Classifier } from './types'

export const AUTOATTACK_VERSIONS = ['standard', 'rand', 'fast'] as const
export type AutoAttackVersion = (typeof AUTOATTACK_VERSIONS)[number]

interface Stage {
  attack: Attack
  settings: Record<string, unknown>
  /** EOT samples for the gradient (rand version). */
  eot?: number
}

export function autoAttackPlan(version: AutoAttackVersion): Stage[] {
  switch (version) {
    case 'standard':
      return [
        { attack: apgdCe, settings: { steps: 100, restarts: 1 } },
        { attack: apgdT, settings: { steps: 100, targets: 9, restarts: 1 } },
        { attack: fabT, settings: { steps: 100, targets: 9 } },
        { attack: square, settings: { queries: 5000, pInit: 0.8 } }
      ]
    case 'rand':
      return [
        { attack: apgdCe, settings: { steps: 100, restarts: 1 }, eot: 20 },
        { attack: apgdDlr, settings: { steps: 100, restarts: 1 }, eot: 20 }
      ]
    case 'fast':
      return [
        { attack: apgdCe, settings: { steps: 20, restarts: 1 } },
        { attack: apgdT, settings: { steps: 20, targets: 3, restarts: 1 } },
        { attack: fabT, settings: { steps: 20, targets: 3 } },
        { attack: square, settings: { queries: 500, pInit: 0.8 } }
      ]
  }
}

export async function runAutoAttack(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  params: AttackParams,
  version: AutoAttackVersion,
  progress?: (done: number, total: number) => void
): Promise<AttackResult> {
  const plan = autoAttackPlan(version)
  const labels = Int32Array.from(y.dataSync())
  // Points the model already gets wrong are not robust to begin with.
  const clean = predict(model, x)
  const robust = Uint8Array.from(clean, (p, i) => (p === labels[i] ? 1 : 0))
  let adversarial = tf.clone(x)
  const stages: AttackStage[] = []
  const unit = 1000
  for (let s = 0; s < plan.length; s++) {
    const stage = plan[s]
    // Only the number of classes limits how many targets there are.
    const settings = { ...stage.settings }
    if (typeof settings.targets === 'number') settings.targets = Math.min(settings.targets, model.numClasses - 1)
    const budget = { ...settings, ...(stage.eot ? { eot: stage.eot } : {}) }
    const rows: number[] = []
    robust.forEach((r, i) => r && rows.push(i))
    const robustBefore = rows.length
    const started = Date.now()
    if (rows.length > 0) {
      const xs = gatherRows(x, rows)
      const ys = gatherRows(y, rows)
      const target = stage.eot ? withEot(model, stage.eot) : model
      const result = await stage.attack.run(target, xs, ys, { ...params, ...settings, seed: subSeed(params.seed, `autoattack ${stage.attack.id}`) }, (done, total) =>
        progress?.(Math.floor(s * unit + (done / Math.max(total, 1)) * unit), plan.length * unit)
      )
      const predicted = predict(model, result.adversarial)
      const broken: number[] = []
      const from: number[] = []
      rows.forEach((row, j) => {
        if (predicted[j] !== labels[row]) {
          robust[row] = 0
          broken.push(row)
          from.push(j)
        }
      })
      if (broken.length > 0) {
        const picked = gatherRows(result.adversarial, from)
        adversarial = swap(adversarial, scatterRows(adversarial, broken, picked))
        picked.dispose()
      }
      tf.dispose([xs, ys, result.adversarial])
    }
    const robustAfter = robust.reduce((a, b) => a + b, 0)
    stages.push({ id: stage.attack.id, budget, robustBefore, robustAfter, seconds: (Date.now() - started) / 1000 })
    progress?.((s + 1) * unit, plan.length * unit)
  }
  const out = projectToBall(x, adversarial, params.norm, params.epsilon)
  adversarial.dispose()
  return { adversarial: out, stages, budget: { version, stages: stages.map((s) => ({ id: s.id, ...s.budget })) } }
}

function autoAttackEntry(id: string, version: AutoAttackVersion | null, description: string): Attack {
  const attack: Attack = {
    id,
    description,
    norms: ['Linf', 'L2'],
    async run(model, x, y, params, progress) {
      checkCall(id, attack.norms, model, x, y, params)
      const v = version ?? choiceSetting(params, 'version', AUTOATTACK_VERSIONS, 'standard')
      return runAutoAttack(model, x, y, params, v, progress)
    }
  }
  return attack
}

export const autoAttack = autoAttackEntry(
  'autoattack',
  null,
  'AutoAttack standard (Croce & Hein 2020): APGD-CE → APGD-T (9 × 100) → FAB-T (9 × 100) → Square (5000 queries), each on the points still robust. Setting version: standard | rand | fast.'
)
export const autoAttackRand = autoAttackEntry(
  'autoattack-rand',
  'rand',
  'AutoAttack rand (Croce & Hein 2020): APGD-CE and APGD-DLR, 100 steps each, gradients averaged over 20 EOT samples — for randomised defences.'
)
export const autoAttackFast = autoAttackEntry(
  'autoattack-fast',
  'fast',
  'AutoAttack fast (not the standard AutoAttack budget): APGD-CE 20 steps → APGD-T 3 × 20 → FAB-T 3 × 20 → Square 500 queries; for quick looks only.'
)
