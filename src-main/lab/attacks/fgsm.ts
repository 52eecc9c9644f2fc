/**
 * FGSM — Goodfellow, Shlens & Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015.
 *   x_adv = clip_[0,1](x + ε · sign(∇x L(θ, x, y)))   (L∞, the seed study's formula, CE loss)
 * L2 variant (the "fast gradient method"): x + ε · ∇x L / ‖∇x L‖₂.
 * Settings and defaults: api/attacks/fgsm.ts. One gradient, no randomness.
 */
import * as tf from '@tensorflow/tfjs-core'
import { fgsmDeclaration } from '../../api/attacks/fgsm'
import { ascentDirection, crossEntropyLoss, logitsAndGradient, marginLoss } from './base'
import { defineAttack } from './runner'

export const fgsm = defineAttack(fgsmDeclaration, async (model, x, y, { norm, epsilon, settings }) => {
  const loss = settings.loss === 'ce' ? crossEntropyLoss : marginLoss
  const candidate = tf.tidy(() => {
    const { logits, gradient } = logitsAndGradient(model, x, (z) => loss(z, y))
    logits.dispose()
    return tf.add(x, tf.mul(ascentDirection(gradient, norm), epsilon)) as tf.Tensor4D
  })
  return { candidate, budget: { gradients: 1, loss: settings.loss } }
})
