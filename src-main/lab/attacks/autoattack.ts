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
import {
  autoAttackDeclaration,
  autoAttackFastDeclaration,
  autoAttackRandDeclaration,
  type AutoAttackVersion
} from '../../api/attacks/autoattack'
import { gatherRows, predict, scatterRows, subSeed, swap } from './base'
import { apgdCe, apgdDlr, apgdT } from './apgd'
import { withEot } from './eot'
import { fabT } from './fab'
import { square } from './square'
import { defineAttack, type AlgorithmResult, type AttackCall } from './runner'
import type { Attack, AttackStage, Classifier } from './types'

export { AUTOATTACK_VERSIONS, type AutoAttackVersion } from '../../api/attacks/autoattack'

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
  call: AttackCall<unknown>,
  version: AutoAttackVersion,
  progress?: (done: number, total: number) => void
): Promise<AlgorithmResult> {
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
      // Each stage gets the threat model and its own plan's settings (the ensemble's budget), nothing else.
      const stageParams = { norm: call.norm, epsilon: call.epsilon, ...settings, seed: subSeed(call.seed, `autoattack ${stage.attack.id}`) }
      const result = await stage.attack.run(target, xs, ys, stageParams, (done, total) =>
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
  return { candidate: adversarial, stages, budget: { version, stages: stages.map((s) => ({ id: s.id, ...s.budget })) } }
}

export const autoAttack = defineAttack(autoAttackDeclaration, (model, x, y, call, progress) =>
  runAutoAttack(model, x, y, call, call.settings.version, progress)
)
export const autoAttackRand = defineAttack(autoAttackRandDeclaration, (model, x, y, call, progress) =>
  runAutoAttack(model, x, y, call, 'rand', progress)
)
export const autoAttackFast = defineAttack(autoAttackFastDeclaration, (model, x, y, call, progress) =>
  runAutoAttack(model, x, y, call, 'fast', progress)
)
