/**
 * The two differentiations the lab needs:
 *  - inputGradient: dL/dx for attacks, in inference mode. The weights are constants there and the
 *    convs use an input-only custom gradient, so no weight gradient is ever computed.
 *  - trainingGradients: loss and dL/dθ for every trainable tensor, BatchNorm in training mode.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Model } from './model'

/** A loss over logits [N, K] and labels (int32 class ids [N] or targets [N, K]); returns a scalar. */
export type LossFn = (logits: tf.Tensor2D, labels: tf.Tensor) => tf.Scalar

/** Mean softmax cross-entropy with integer labels (or soft/one-hot targets [N, K]). */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const targets = labels.rank === 1 ? tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]) : labels
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar
  })
}

export interface InputGradient {
  /** dL/dx, same shape as x. */
  grad: tf.Tensor4D
  loss: tf.Scalar
  logits: tf.Tensor2D
}

/**
 * Loss and its gradient w.r.t. the input images, model in inference mode. The caller owns (and
 * disposes) the returned tensors.
 */
export function inputGradient(model: Model, x: tf.Tensor4D, labels: tf.Tensor, lossFn: LossFn = crossEntropy): InputGradient {
  let logits: tf.Tensor2D | null = null
  const f = (input: tf.Tensor): tf.Scalar => {
    const out = model.forward(input as tf.Tensor4D)
    logits = tf.keep(out)
    return lossFn(out, labels)
  }
  const { value, grad } = tf.valueAndGrad(f)(x)
  return { grad: grad as tf.Tensor4D, loss: value, logits: logits! }
}

export interface TrainingGradients {
  loss: tf.Scalar
  /** One gradient per trainable tensor, by state_dict name. */
  grads: Record<string, tf.Tensor>
  logits: tf.Tensor2D
}

/** Loss and dL/dθ with BatchNorm in training mode (which also updates its running statistics). */
export function trainingGradients(model: Model, x: tf.Tensor4D, labels: tf.Tensor, lossFn: LossFn = crossEntropy): TrainingGradients {
  let logits: tf.Tensor2D | null = null
  const vars = model.trainableVariables()
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(x, { training: true })
    logits = tf.keep(out)
    return lossFn(out, labels)
  }, vars)
  const byName: Record<string, tf.Tensor> = {}
  for (const p of model.params) byName[p.name] = grads[p.tensor.name]
  return { loss: value, grads: byName, logits: logits! }
}
