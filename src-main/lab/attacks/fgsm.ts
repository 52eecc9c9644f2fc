/**
 * FGSM — Goodfellow, Shlens & Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015.
 *   x_adv = clip_[0,1](x + ε · sign(∇x L(θ, x, y)))   (L∞, the seed study's formula, CE loss)
 * L2 variant (the "fast gradient method"): x + ε · ∇x L / ‖∇x L‖₂.
 * Defaults: loss "ce" (or "margin"). One gradient, no randomness.
 */
import * as tf from '@tensorflow/tfjs-core'
import { ascentDirection, checkCall, choiceSetting, crossEntropyLoss, logitsAndGradient, marginLoss, projectToBall } from './base'
import type { Attack, AttackParams, Classifier } from './types'

export function runFgsm(model: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, params: AttackParams): tf.Tensor4D {
  const lossName = choiceSetting(params, 'loss', ['ce', 'margin'] as const, 'ce')
  const loss = lossName === 'ce' ? crossEntropyLoss : marginLoss
  return tf.tidy(() => {
    const { logits, gradient } = logitsAndGradient(model, x, (z) => loss(z, y))
    logits.dispose()
    const step = tf.mul(ascentDirection(gradient, params.norm), params.epsilon)
    return projectToBall(x, tf.add(x, step) as tf.Tensor4D, params.norm, params.epsilon)
  })
}

export const fgsm: Attack = {
  id: 'fgsm',
  description: 'FGSM (Goodfellow et al. 2015): one step of size ε along sign(∇x loss), clipped to [0, 1]; cross-entropy loss.',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('fgsm', fgsm.norms, model, x, y, params)
    const adversarial = runFgsm(model, x, y, params)
    progress?.(1, 1)
    return { adversarial, budget: { gradients: 1, loss: params.loss ?? 'ce' } }
  }
}
