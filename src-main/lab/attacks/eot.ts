/**
 * EOT — Expectation over Transformation: Athalye, Engstrom, Ilyas & Kwok, "Synthesizing Robust
 * Adversarial Examples", ICML 2018; used against randomised defences in Athalye, Carlini & Wagner
 * 2018. The gradient an attack sees is the mean of `samples` gradients of the randomised
 * classifier, an estimate of ∇ E_r[L(f_r(x))] instead of one noisy draw.
 * AutoAttack's "rand" version uses 20 samples.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier } from './types'

export function withEot(classifier: Classifier, samples = 20): Classifier {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`withEot: samples must be a whole number ≥ 1 (got ${samples})`)
  const averaged = (x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): { logits: tf.Tensor2D; gradient: tf.Tensor4D } => {
    let sum: tf.Tensor4D | null = null
    let logitSum: tf.Tensor2D | null = null
    for (let i = 0; i < samples; i++) {
      const r = classifier.logitsAndGradient
        ? classifier.logitsAndGradient(x, loss)
        : { logits: classifier.logits(x), gradient: classifier.gradient(x, loss) }
      const nextSum: tf.Tensor4D = sum ? tf.add(sum, r.gradient) : r.gradient
      const nextLogits: tf.Tensor2D = logitSum ? tf.add(logitSum, r.logits) : r.logits
      if (sum) tf.dispose([sum, r.gradient])
      if (logitSum) tf.dispose([logitSum, r.logits])
      sum = nextSum
      logitSum = nextLogits
    }
    const out = { logits: tf.div(logitSum!, samples) as tf.Tensor2D, gradient: tf.div(sum!, samples) as tf.Tensor4D }
    tf.dispose([sum!, logitSum!])
    return out
  }
  return {
    numClasses: classifier.numClasses,
    inputShape: classifier.inputShape,
    randomised: classifier.randomised,
    nonDifferentiable: classifier.nonDifferentiable,
    // Predictions stay single draws: a randomised defence is judged the way it is deployed.
    logits: (x) => classifier.logits(x),
    gradient(x, loss) {
      const r = averaged(x, loss)
      r.logits.dispose()
      return r.gradient
    },
    logitsAndGradient: averaged,
    ...(classifier.bpdaLogits ? { bpdaLogits: classifier.bpdaLogits.bind(classifier) } : {})
  }
}
