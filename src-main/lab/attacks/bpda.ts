/**
 * BPDA — Athalye, Carlini & Wagner, "Obfuscated Gradients Give a False Sense of Security", ICML 2018.
 * Backward Pass Differentiable Approximation: run the real classifier forward, but take the
 * gradient through a differentiable stand-in g ≈ f — for a non-differentiable or gradient-
 * truncating layer usually the identity, i.e. the model without that layer.
 *
 *   withBpda(classifier, approx?)  — approx defaults to the classifier's own `bpdaLogits`.
 *   straightThrough(layer, rest)   — builds the common stand-in x ↦ rest(x + (layer(x) − x)) whose
 *                                    forward value equals rest(layer(x)) and whose gradient treats
 *                                    `layer` as the identity.
 * Any gradient attack can take the wrapped classifier.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier } from './types'

export type DifferentiableLogits = (x: tf.Tensor4D) => tf.Tensor2D

export function withBpda(classifier: Classifier, approx?: DifferentiableLogits): Classifier {
  const stand = approx ?? classifier.bpdaLogits?.bind(classifier)
  if (!stand)
    throw new Error(
      'withBpda needs a differentiable approximation: pass one, or give the classifier a bpdaLogits(x) (e.g. the model with its non-differentiable layer replaced by identity)'
    )
  const gradientOf = (x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): tf.Tensor4D =>
    tf.tidy(() => tf.grad((input: tf.Tensor) => loss(stand(input as tf.Tensor4D)))(x) as tf.Tensor4D)
  return {
    numClasses: classifier.numClasses,
    inputShape: classifier.inputShape,
    randomised: classifier.randomised,
    // Seen through: attacks now get useful gradients.
    nonDifferentiable: false,
    logits: (x) => classifier.logits(x),
    gradient: gradientOf,
    // The forward value comes from the real classifier; only the backward pass is approximated.
    logitsAndGradient: (x, loss) => ({ logits: classifier.logits(x), gradient: gradientOf(x, loss) }),
    bpdaLogits: stand
  }
}

/**
 * The straight-through stand-in for f = rest ∘ layer: forward rest(layer(x)), backward as if
 * layer were the identity (the value layer(x) − x enters as a constant).
 */
export function straightThrough(layer: (x: tf.Tensor4D) => tf.Tensor4D, rest: DifferentiableLogits): DifferentiableLogits {
  return (x) =>
    tf.tidy(() => {
      const moved = layer(x)
      // Fresh tensors from the values are off the gradient tape: constants for tf.grad.
      const constant = (t: tf.Tensor): tf.Tensor => tf.tensor(t.dataSync() as Float32Array, t.shape, 'float32')
      const shift = tf.sub(constant(moved), constant(x))
      return rest(tf.add(x, shift) as tf.Tensor4D)
    })
}
