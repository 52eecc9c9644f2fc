/**
 * What the training jobs call to train with a defence (the `defence` field of a training config):
 * a toy layer in front of the model, or an adversarial-training loss.
 */
import type * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import { formatEpsilon } from '../../api/epsilon'
import type { LossFunction } from '../train/step'
import { adversarialTrainingLoss, isAdversarialTraining } from './adversarial-training'
import { createToyLayer, isToyDefence } from './toys'
import { crownIbpLoss } from './certified-training'
import { noiseTrainingLoss } from './noise-training'

/** The model with the toy layer applied to its input in every forward pass (training included). */
export function withDefenceLayer<M extends { forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D }>(
  model: M,
  defence: Defence | undefined,
  seed: number
): M {
  if (!isToyDefence(defence)) return model
  const layer = createToyLayer(defence, seed)
  const inner = model.forward.bind(model)
  return { ...model, forward: (x: tf.Tensor4D, training: boolean) => inner(layer.forward(x), training) }
}

/**
 * The loss to train with: `base`, or `base` on adversarial examples (adversarial training), on noisy
 * images (Gaussian noise augmentation), or mixed with a certified bound's loss (CROWN-IBP).
 */
export function lossWithDefence(
  defence: Defence | undefined,
  model: { forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D },
  shape: { height: number; width: number; channels: number },
  seed: number,
  base: LossFunction
): LossFunction {
  if (isAdversarialTraining(defence)) return adversarialTrainingLoss(defence, model, shape, seed, base)
  if (defence?.kind === 'crown-ibp') return crownIbpLoss(defence, model, shape, base)
  if (defence?.kind === 'gaussian-noise') return noiseTrainingLoss(defence, model, shape, seed, base)
  return base
}

/** A short description of the defence for logs and run names. */
export function describeDefence(defence: Defence | undefined | null): string {
  if (!defence || defence.kind === 'none') return 'no defence'
  switch (defence.kind) {
    case 'fgsm-at':
      return `FGSM-AT (ε=${formatEpsilon(defence.epsilon as number)}, mix ${defence.mix})`
    case 'pgd-at':
      return `PGD-${defence.steps} AT (ε=${formatEpsilon(defence.epsilon as number)}, mix ${defence.mix})`
    case 'crown-ibp':
      return `CROWN-IBP (ε=${formatEpsilon(defence.epsilon as number)}, ramp ${defence.rampStart}–${defence.rampEnd}, β ${defence.betaStart}→${defence.betaEnd}, κ ${defence.kappaStart}→${defence.kappaEnd})`
    case 'gaussian-noise':
      return `Gaussian noise augmentation (σ=${defence.sigma})`
    case 'gradient-truncation':
      return `gradient-truncation toy (backward ×${defence.backwardScale})`
    case 'quantisation':
      return `input quantisation toy (${defence.levels} levels)`
    case 'random-resize':
      return `random resize-and-pad toy (scale ≥ ${defence.minScale}${defence.noiseStd > 0 ? `, noise σ=${defence.noiseStd}` : ''})`
  }
}
