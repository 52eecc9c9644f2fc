/**
 * The three APGD attacks of AutoAttack (Croce & Hein, ICML 2020), over the shared core in
 * apgd-core.ts:
 *  - apgd-ce:  cross-entropy loss;
 *  - apgd-dlr: the DLR loss (shift- and scale-invariant, so saturated logits cannot hide gradients);
 *  - apgd-t:   targeted DLR toward each of the top `targets` other classes in turn (9 by default,
 *              as in AutoAttack's standard version), each on the points still not fooled.
 * Defaults (AutoAttack "standard"): steps 100, restarts 1, ρ 0.75, momentum 0.75.
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkCall, crossEntropyLoss, dlrLoss, numberSetting, subSeed, targetedDlrLoss } from './base'
import { onRemaining, WorstCase } from './best'
import { runApgdOnce } from './apgd-core'
import type { Attack, AttackParams, AttackResult, Classifier } from './types'
import { projectToBall } from './base'

type Kind = 'ce' | 'dlr' | 't'

export async function runApgd(model: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, params: AttackParams, kind: Kind, progress?: (done: number, total: number) => void): Promise<AttackResult> {
  const steps = numberSetting(params, 'steps', 100, { integer: true, min: 1 })
  const restarts = numberSetting(params, 'restarts', 1, { integer: true, min: 1 })
  const targets = kind === 't' ? numberSetting(params, 'targets', Math.min(9, model.numClasses - 1), { integer: true, min: 1, max: model.numClasses - 1 }) : 1
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
          kind === 'ce' ? (z: tf.Tensor2D) => crossEntropyLoss(z, ys) : kind === 'dlr' ? (z: tf.Tensor2D) => dlrLoss(z, ys) : (z: tf.Tensor2D) => targetedDlrLoss(z, ys, target!)
        await runApgdOnce(model, xs, ys, { norm: params.norm, epsilon: params.epsilon, steps, seed: subSeed(params.seed, `apgd-${kind} ${t} ${r}`), loss }, sub, tick)
        target?.dispose()
      })
      done = before + steps
      progress?.(done, total)
    }
  }
  const adversarial = projectToBall(x, best.adversarial, params.norm, params.epsilon)
  best.adversarial.dispose()
  return { adversarial, budget: { steps, restarts, ...(kind === 't' ? { targets } : {}), rho: 0.75, momentum: 0.75 } }
}

function apgdAttack(kind: Kind, id: string, description: string): Attack {
  const attack: Attack = {
    id,
    description,
    norms: ['Linf', 'L2'],
    async run(model, x, y, params, progress) {
      checkCall(id, attack.norms, model, x, y, params)
      return runApgd(model, x, y, params, kind, progress)
    }
  }
  return attack
}

export const apgdCe = apgdAttack('ce', 'apgd-ce', 'APGD-CE (Croce & Hein 2020): step-size-free PGD with momentum and checkpoint halving; cross-entropy loss, 100 steps.')
export const apgdDlr = apgdAttack('dlr', 'apgd-dlr', 'APGD-DLR (Croce & Hein 2020): APGD on the scale-invariant difference-of-logits-ratio loss, 100 steps.')
export const apgdT = apgdAttack('t', 'apgd-t', 'APGD-T (Croce & Hein 2020): APGD on the targeted DLR loss toward each of the 9 most likely other classes, 100 steps each.')
