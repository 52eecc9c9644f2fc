/**
 * The three APGD attacks of AutoAttack (Croce & Hein, ICML 2020), over the shared core in
 * apgd-core.ts:
 *  - apgd-ce:  cross-entropy loss;
 *  - apgd-dlr: the DLR loss (shift- and scale-invariant, so saturated logits cannot hide gradients);
 *  - apgd-t:   targeted DLR toward each of the top `targets` other classes in turn (9 by default,
 *              as in AutoAttack's standard version), each on the points still not fooled.
 * Settings and defaults (AutoAttack "standard": steps 100, restarts 1): api/attacks/apgd.ts;
 * ρ 0.75 and momentum 0.75 are the paper's constants (apgd-core.ts).
 */
import * as tf from '@tensorflow/tfjs-core'
import { apgdCeDeclaration, apgdDlrDeclaration, apgdTDeclaration } from '../../api/attacks/apgd'
import { crossEntropyLoss, dlrLoss, subSeed, targetedDlrLoss } from './base'
import { onRemaining, WorstCase } from './best'
import { runApgdOnce } from './apgd-core'
import { defineAttack, type AlgorithmResult, type AttackCall } from './runner'
import type { Classifier } from './types'

type Kind = 'ce' | 'dlr' | 't'

interface ApgdSettings {
  steps: number
  restarts: number
  targets?: number
}

async function runApgd(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  call: AttackCall<ApgdSettings>,
  kind: Kind,
  progress?: (done: number, total: number) => void
): Promise<AlgorithmResult> {
  const { steps, restarts } = call.settings
  const targets = kind === 't' ? call.settings.targets! : 1
  const best = new WorstCase(x)
  const total = steps * restarts * targets
  let done = 0
  const tick = () => progress?.(++done, total)
  for (let t = 0; t < targets; t++) {
    for (let r = 0; r < restarts; r++) {
      const before = done
      await onRemaining(best, x, y, t === 0 && r === 0, async (xs, ys, sub) => {
        let target: tf.Tensor1D | null = null
        if (kind === 't') {
          // The (t+2)-th highest clean logit: the most likely wrong classes first.
          target = tf.tidy(() => {
            const order = tf.topk(model.logits(xs), t + 2, true).indices
            return tf.squeeze(tf.slice(order, [0, t + 1], [-1, 1]), [1]) as tf.Tensor1D
          })
        }
        const loss =
          kind === 'ce'
            ? (z: tf.Tensor2D) => crossEntropyLoss(z, ys)
            : kind === 'dlr'
              ? (z: tf.Tensor2D) => dlrLoss(z, ys)
              : (z: tf.Tensor2D) => targetedDlrLoss(z, ys, target!)
        await runApgdOnce(
          model,
          xs,
          ys,
          { norm: call.norm, epsilon: call.epsilon, steps, seed: subSeed(call.seed, `apgd-${kind} ${t} ${r}`), loss },
          sub,
          tick
        )
        target?.dispose()
      })
      done = before + steps
      progress?.(done, total)
    }
  }
  return { candidate: best.adversarial, budget: { steps, restarts, ...(kind === 't' ? { targets } : {}), rho: 0.75, momentum: 0.75 } }
}

export const apgdCe = defineAttack(apgdCeDeclaration, (model, x, y, call, progress) => runApgd(model, x, y, call, 'ce', progress))
export const apgdDlr = defineAttack(apgdDlrDeclaration, (model, x, y, call, progress) => runApgd(model, x, y, call, 'dlr', progress))
export const apgdT = defineAttack(apgdTDeclaration, (model, x, y, call, progress) => runApgd(model, x, y, call, 't', progress))
