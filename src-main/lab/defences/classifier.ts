/**
 * A trained model as attacks see it (the Classifier of lab/attacks/types.ts), behind its defence
 * layer if it has one — and the adaptive views of it that BPDA and EOT need.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Classifier } from '../attacks/types'
import type { Defence } from '../../api/defences'
import type { Model } from '../models/model'
import { createToyLayer, isToyDefence, type ToyLayer } from './toys'

export interface DefendedClassifier extends Classifier {
  /** The toy layer in front of the model, if any (adversarial training leaves no layer). */
  layer: ToyLayer | null
  /**
   * The same model seen by an adaptive attacker (Athalye et al. 2018): BPDA (identity backward)
   * through non-differentiable parts, gradients averaged over `eotSamples` draws of random parts.
   * Equal to this classifier when the model has neither.
   */
  adaptive(options?: { eotSamples?: number }): Classifier
}

/** `seed` seeds the randomness of a randomised layer, so an evaluation is repeatable. */
export function classifierFor(model: Model, defence?: Defence | null, seed = 0): DefendedClassifier {
  const layer = isToyDefence(defence) ? createToyLayer(defence, seed) : null
  const through = (x: tf.Tensor4D, bpda: boolean): tf.Tensor4D => (layer ? (bpda ? layer.forwardBpda(x) : layer.forward(x)) : x)
  const make = (bpda: boolean, eotSamples: number): Classifier => ({
    numClasses: model.spec.numClasses,
    inputShape: model.spec.inputShape,
    randomised: layer?.randomised ?? false,
    // An adaptive view has already replaced the non-differentiable parts.
    nonDifferentiable: bpda ? false : (layer?.nonDifferentiable ?? false),
    logits: (x) => tf.tidy(() => model.forward(through(x, false))),
    gradient(x, loss) {
      return tf.tidy(() => {
        const once = () => tf.grad((input: tf.Tensor) => loss(model.forward(through(input as tf.Tensor4D, bpda))))(x) as tf.Tensor4D
        if (eotSamples <= 1) return once()
        // EOT (Athalye et al. 2018, §4): the expected gradient over the layer's randomness.
        let sum = once()
        for (let i = 1; i < eotSamples; i++) sum = tf.add(sum, once())
        return tf.div(sum, eotSamples) as tf.Tensor4D
      })
    }
  })
  const plain = make(false, 1)
  return {
    ...plain,
    // lab/attacks/bpda.ts's withBpda takes its differentiable stand-in from here.
    ...(layer?.nonDifferentiable ? { bpdaLogits: (x: tf.Tensor4D) => model.forward(layer.forwardBpda(x)) } : {}),
    layer,
    adaptive: ({ eotSamples = 20 } = {}) => (layer ? make(true, layer.randomised ? eotSamples : 1) : plain)
  }
}
