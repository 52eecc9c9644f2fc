/**
 * Transfer attack (Papernot et al. 2016, "Transferability in Machine Learning"; the black-box check
 * in Athalye et al. 2018): craft adversarial examples with any attack on a surrogate classifier
 * (e.g. the undefended baseline) and evaluate them on the target. If they fool the target more
 * than white-box attacks on the target do, the target's gradients are masked.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Attack, AttackParams, AttackResult, Classifier } from './types'

export interface TransferResult extends AttackResult {
  /** Accuracy of the surrogate and of the target on the transferred examples. */
  surrogateAccuracy: number
  targetAccuracy: number
}

function accuracy(model: Classifier, x: tf.Tensor4D, y: tf.Tensor1D): number {
  const t = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.logits(x), 1), tf.cast(y, 'int32')), 'float32')))
  const v = t.dataSync()[0]
  t.dispose()
  return v
}

/** Crafts on `surrogate` with `attack`, then measures both classifiers on the result. */
export async function runTransfer(
  surrogate: Classifier,
  target: Classifier,
  attack: Attack,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  params: AttackParams,
  progress?: (done: number, total: number) => void
): Promise<TransferResult> {
  const crafted = await attack.run(surrogate, x, y, params, progress)
  return {
    ...crafted,
    budget: { ...(crafted.budget ?? {}), craftedWith: attack.id, on: 'surrogate' },
    surrogateAccuracy: accuracy(surrogate, crafted.adversarial, y),
    targetAccuracy: accuracy(target, crafted.adversarial, y)
  }
}

/** The same as an Attack: the model passed to run() is the target; crafting uses the surrogate. */
export function transferAttack(surrogate: Classifier, attack: Attack): Attack {
  return {
    id: `transfer-${attack.id}`,
    description: `Transfer: ${attack.id} crafted on a surrogate model, evaluated on the target.`,
    norms: attack.norms,
    run: (model, x, y, params, progress) => runTransfer(surrogate, model, attack, x, y, params, progress)
  }
}
