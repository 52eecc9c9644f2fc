/**
 * CROWN-IBP certified training (Zhang et al. 2020, "Towards Stable and Efficient Training of
 * Verifiably Robust Neural Networks"), as a loss:
 *
 *   κ·L(z(x), y) + (1 − κ)·CE(−m, y),  m = (1 − β)·m_IBP + β·m_CROWN-IBP,
 *
 * where m holds lower bounds of the margins z_y − z_j over the L∞ ball of radius ε ∩ [0, 1] (0 for
 * j = y): m_IBP by interval bound propagation, m_CROWN-IBP by CROWN's back-substitution from the
 * margins with IBP's pre-activation bounds. The bounds are computed from the model's variables, so
 * training descends through them. ε, β and κ follow the paper's linear ramps over the training steps.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import type { LossFunction } from '../train/step'
import { crossEntropy } from '../train/losses'
import type { Model } from '../models/model'
import { sequentialLayers, type SequentialLayer } from '../eval/sequential'
import { marginBoundsByClass } from '../certify/crown'

export type CrownIbpTraining = Extract<Defence, { kind: 'crown-ibp' }>

/** ε, β and κ at `progress` (share of the training steps done): start values, a linear ramp, end values. */
export function crownIbpSchedule(defence: CrownIbpTraining, progress: number): { epsilon: number; beta: number; kappa: number } {
  const span = defence.rampEnd - defence.rampStart
  const t = span > 0 ? Math.min(1, Math.max(0, (progress - defence.rampStart) / span)) : progress >= defence.rampEnd ? 1 : 0
  const along = (from: number, to: number) => from + (to - from) * t
  return {
    epsilon: t * (defence.epsilon as number),
    beta: along(defence.betaStart, defence.betaEnd),
    kappa: along(defence.kappaStart, defence.kappaEnd)
  }
}

/**
 * The robust part of the loss alone: CE(−m, y) at ε with mixing β. `layers` gives the network's
 * structure (sequentialLayers of the model); the weights are the model's live variables.
 */
export function crownIbpRobustLoss(
  model: Model,
  layers: SequentialLayer[],
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  epsilon: number,
  beta: number
): tf.Scalar {
  const onehot = tf.oneHot(tf.cast(labels, 'int32'), model.spec.numClasses) as tf.Tensor2D
  const { crown, interval } = marginBoundsByClass(layers, x, onehot, epsilon, {
    maxCrownNeurons: 0,
    crown: beta > 0,
    weightsOf: (layer) => ({ weight: model.get(`${layer.name}.weight`), bias: model.get(`${layer.name}.bias`) as tf.Tensor as tf.Tensor1D })
  })
  const m = crown && beta > 0 ? tf.add(tf.mul(interval, 1 - beta), tf.mul(crown, beta)) : interval
  return crossEntropy(tf.neg(m) as tf.Tensor2D, labels)
}

export function crownIbpLoss(
  defence: CrownIbpTraining,
  model: { forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D },
  shape: { height: number; width: number; channels: number },
  base: LossFunction
): LossFunction {
  const inner = (model as { model?: Model }).model
  if (!inner) throw new Error('CROWN-IBP training needs a built-in model (mlp or cnn-small)')
  const layers = sequentialLayers(inner)
  if (!layers)
    throw new Error(`CROWN-IBP training needs a sequential model without BatchNorm (mlp, cnn-small); ${inner.spec.arch} is not one`)
  return (logits, labels, batch) => {
    const { epsilon, beta, kappa } = crownIbpSchedule(defence, batch.progress ?? 1)
    const natural = base(logits, labels, batch)
    // At ε = 0 the bounds are the margins themselves and CE(−m, y) is the natural cross-entropy.
    if (epsilon === 0 || kappa === 1) return natural
    const x = tf.tensor4d(batch.images, [labels.shape[0], shape.height, shape.width, shape.channels])
    const robust = crownIbpRobustLoss(inner, layers, x, labels, epsilon, beta)
    return tf.add(tf.mul(natural, kappa), tf.mul(robust, 1 - kappa)) as tf.Scalar
  }
}
