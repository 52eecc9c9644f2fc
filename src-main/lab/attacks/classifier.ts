/**
 * Building a Classifier (what attacks see) from a built model: inference-mode logits, and input
 * gradients through the engine's input-only gradient path (models/gradient.ts), which never
 * computes weight gradients.
 */
import * as tf from '@tensorflow/tfjs-core'
import { inputGradient } from '../models/gradient'
import type { Model } from '../models/model'
import type { Classifier } from './types'

export interface ClassifierOptions {
  /** Declared for defences whose forward is random (→ EOT). Default false. */
  randomised?: boolean
  /** Declared for defences with non-differentiable parts (→ BPDA). Default false. */
  nonDifferentiable?: boolean
}

export function classifierFromModel(model: Model, options: ClassifierOptions = {}): Classifier {
  const run = (x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): { logits: tf.Tensor2D; gradient: tf.Tensor4D } => {
    // The loss closes over its labels; inputGradient's label argument is unused here.
    const none = tf.tensor1d([], 'int32')
    const r = inputGradient(model, x, none, (logits) => loss(logits))
    tf.dispose([r.loss, none])
    return { logits: r.logits, gradient: r.grad }
  }
  return {
    numClasses: model.spec.numClasses,
    inputShape: [...model.spec.inputShape] as [number, number, number],
    randomised: options.randomised ?? false,
    nonDifferentiable: options.nonDifferentiable ?? false,
    logits: (x) => model.forward(x),
    gradient(x, loss) {
      const r = run(x, loss)
      r.logits.dispose()
      return r.gradient
    },
    logitsAndGradient: run
  }
}

/**
 * A classifier from plain functions — for defences that wrap a model, and for tests (a linear model
 * in closed form). The gradient is tf.grad through `logits`, so `logits` must be differentiable.
 */
export function classifierFromFunction(
  logits: (x: tf.Tensor4D) => tf.Tensor2D,
  info: { numClasses: number; inputShape: [number, number, number]; randomised?: boolean; nonDifferentiable?: boolean }
): Classifier {
  const run = (x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): { logits: tf.Tensor2D; gradient: tf.Tensor4D } => {
    let kept: tf.Tensor2D | null = null
    const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => {
      const z = logits(input as tf.Tensor4D)
      kept = tf.keep(z)
      return loss(z)
    })(x)
    value.dispose()
    return { logits: kept!, gradient: grad as tf.Tensor4D }
  }
  return {
    numClasses: info.numClasses,
    inputShape: info.inputShape,
    randomised: info.randomised ?? false,
    nonDifferentiable: info.nonDifferentiable ?? false,
    logits: (x) => tf.tidy(() => logits(x)),
    gradient(x, loss) {
      const r = run(x, loss)
      r.logits.dispose()
      return r.gradient
    },
    logitsAndGradient: run
  }
}
