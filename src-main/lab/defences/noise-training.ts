/**
 * Gaussian noise augmentation (Cohen, Rosenfeld & Kolter 2019): the model learns from x + δ,
 * δ ~ N(0, σ²I) drawn afresh for every batch and not clipped, so that it classifies well under the
 * noise randomised smoothing adds at the same σ. Seeded per batch, like adversarial training.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import { deriveSeed } from '../data/subsets'
import { mulberry32NonZero } from '../random'
import { gaussianSampler } from '../certify/statistics'
import type { LossFunction } from '../train/step'

export type NoiseTraining = Extract<Defence, { kind: 'gaussian-noise' }>

/** The batch's images plus σ·N(0, 1) noise, the same for the same seed and batch. */
export function noisyImages(images: Float32Array, sigma: number, seed: number): Float32Array {
  const gaussian = gaussianSampler(mulberry32NonZero(seed))
  return Float32Array.from(images, (v) => v + sigma * gaussian())
}

export function noiseTrainingLoss(
  defence: NoiseTraining,
  model: { forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D },
  shape: { height: number; width: number; channels: number },
  seed: number,
  base: LossFunction
): LossFunction {
  const loss: LossFunction = (_logits, labels, batch) => {
    const noisy = noisyImages(
      batch.images,
      defence.sigma,
      deriveSeed(seed, `gaussian-noise/${Array.from(batch.indices.subarray(0, 8)).join(',')}`)
    )
    const x = tf.tensor4d(noisy, [labels.shape[0], shape.height, shape.width, shape.channels])
    return base(model.forward(x, true), labels, { ...batch, images: noisy })
  }
  // The clean batch only counts correct predictions; BatchNorm learns from the noisy one.
  loss.cleanLogits = 'inference'
  return loss
}
