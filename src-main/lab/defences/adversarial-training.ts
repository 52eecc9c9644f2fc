/**
 * Adversarial training as a loss: each batch is attacked against the current weights and the model
 * is trained on the result (mixed with the clean loss when `mix` > 0).
 *  - FGSM-AT with a random start: δ ~ U(−ε, ε), one step of α = 1.25ε (Wong, Rice & Kolter 2020).
 *  - PGD-k AT: δ ~ U(−ε, ε), k steps of α (default 2.5ε/k) with projection (Madry et al. 2018).
 * Both L∞. The examples are crafted with the model in inference mode, so crafting never touches
 * BatchNorm's running statistics.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import { deriveSeed } from '../data/subsets'
import { exactSign } from '../engine/exact'
import type { LossFunction } from '../train/step'

export type AdversarialTraining = Extract<Defence, { kind: 'fgsm-at' | 'pgd-at' }>

export function isAdversarialTraining(defence: Defence | undefined | null): defence is AdversarialTraining {
  return !!defence && (defence.kind === 'fgsm-at' || defence.kind === 'pgd-at')
}

/** Steps and step size actually used, with the papers' defaults filled in. */
export function trainingAttackPlan(defence: AdversarialTraining): { epsilon: number; steps: number; stepSize: number } {
  const epsilon = defence.epsilon as number
  if (defence.kind === 'fgsm-at') return { epsilon, steps: 1, stepSize: (defence.stepSize as number | undefined) ?? 1.25 * epsilon }
  return { epsilon, steps: defence.steps, stepSize: (defence.stepSize as number | undefined) ?? (2.5 * epsilon) / defence.steps }
}

/**
 * L∞ adversarial examples with a random start, as plain numbers: the result is a fresh tensor with no
 * link to the computation that made it, so the training step's gradient never flows through the attack.
 */
export function craftTrainingExamples(
  logitsOf: (x: tf.Tensor4D) => tf.Tensor2D,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  plan: { epsilon: number; steps: number; stepSize: number },
  seed: number
): Float32Array {
  const data = tf.tidy(() => {
    const classes = logitsOf(tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1])).shape[1]
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), classes)
    const lossOf = (input: tf.Tensor): tf.Scalar =>
      tf.losses.softmaxCrossEntropy(onehot, logitsOf(input as tf.Tensor4D), undefined, undefined, tf.Reduction.SUM) as tf.Scalar
    const grad = tf.grad(lossOf)
    let adv: tf.Tensor4D = tf.clipByValue(
      tf.add(x, tf.randomUniform(x.shape, -plan.epsilon, plan.epsilon, 'float32', seed)),
      0,
      1
    ) as tf.Tensor4D
    for (let step = 0; step < plan.steps; step++) {
      const g = grad(adv) as tf.Tensor4D
      const moved = tf.add(adv, tf.mul(exactSign(g), plan.stepSize))
      const projected = tf.clipByValue(tf.sub(moved, x), -plan.epsilon, plan.epsilon)
      adv = tf.clipByValue(tf.add(x, projected), 0, 1) as tf.Tensor4D
    }
    return adv.dataSync() as Float32Array
  })
  return Float32Array.from(data)
}

/**
 * Wraps a loss so that it is computed on adversarial examples of the batch:
 * mix · base(clean logits) + (1 − mix) · base(logits of x_adv).
 */
export function adversarialTrainingLoss(
  defence: AdversarialTraining,
  model: { forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D },
  shape: { height: number; width: number; channels: number },
  seed: number,
  base: LossFunction
): LossFunction {
  const plan = trainingAttackPlan(defence)
  const loss: LossFunction = (logits, labels, batch) => {
    const n = labels.shape[0]
    const dims: [number, number, number, number] = [n, shape.height, shape.width, shape.channels]
    const batchSeed = deriveSeed(seed, `adversarial-training/${Array.from(batch.indices.subarray(0, 8)).join(',')}`)
    const clean = tf.tensor4d(batch.images, dims)
    const advData = craftTrainingExamples((x) => model.forward(x, false), clean, labels, plan, batchSeed)
    clean.dispose()
    const adv = tf.tensor4d(advData, dims)
    const advLoss = base(model.forward(adv, true), labels, { ...batch, images: advData })
    if (defence.mix === 0) return advLoss
    return tf.add(tf.mul(base(logits, labels, batch), defence.mix), tf.mul(advLoss, 1 - defence.mix)) as tf.Scalar
  }
  // Without a clean term, BatchNorm should learn its statistics from the adversarial batch alone.
  loss.cleanLogits = defence.mix === 0 ? 'inference' : 'training'
  return loss
}
