/**
 * FGSM with a random start.
 *  - "rfgsm" — Tramèr et al., "Ensemble Adversarial Training", ICLR 2018: x' = x + α·sign(N(0, I)),
 *    then one step of ε − α along sign(∇x L(x')).
 *  - "fgsm-rs" — Wong, Rice & Kolter, "Fast is better than free", ICLR 2020: x' = x + U(−ε, ε),
 *    one step of α along sign(∇x L(x')), projected back onto the ε-ball.
 * Both L∞ (and L2 with the L2 direction and a uniform start in the L2 ball). Seeded.
 * Settings and defaults (α = ε/2 and α = 1.25·ε): api/attacks/rfgsm.ts.
 */
import * as tf from '@tensorflow/tfjs-core'
import { fgsmRandomStartDeclaration, rfgsmDeclaration } from '../../api/attacks/rfgsm'
import { ascentDirection, crossEntropyLoss, logitsAndGradient, marginLoss, normal, projectToBall, randomStart, subSeed } from './base'
import { defineAttack } from './runner'
import type { Classifier, Norm } from './types'

/** One gradient step of `size` from `start` (the runner projects the result). */
function step(model: Classifier, start: tf.Tensor4D, y: tf.Tensor1D, norm: Norm, lossName: 'ce' | 'margin', size: number): tf.Tensor4D {
  const loss = lossName === 'ce' ? crossEntropyLoss : marginLoss
  return tf.tidy(() => {
    const { logits, gradient } = logitsAndGradient(model, start, (z) => loss(z, y))
    logits.dispose()
    return tf.add(start, tf.mul(ascentDirection(gradient, norm), size)) as tf.Tensor4D
  })
}

export const rfgsm = defineAttack(rfgsmDeclaration, async (model, x, y, { norm, epsilon, seed, settings }) => {
  const { alpha } = settings
  const start = tf.tidy(() => {
    const noise = ascentDirection(normal(x.shape, subSeed(seed, 'rfgsm')) as tf.Tensor4D, norm)
    return projectToBall(x, tf.add(x, tf.mul(noise, alpha)) as tf.Tensor4D, norm, epsilon)
  })
  const candidate = step(model, start, y, norm, settings.loss, epsilon - alpha)
  start.dispose()
  return { candidate, budget: { gradients: 1, alpha } }
})

export const fgsmRandomStart = defineAttack(fgsmRandomStartDeclaration, async (model, x, y, { norm, epsilon, seed, settings }) => {
  const start = randomStart(x, norm, epsilon, subSeed(seed, 'fgsm-rs'))
  const candidate = step(model, start, y, norm, settings.loss, settings.alpha)
  start.dispose()
  return { candidate, budget: { gradients: 1, alpha: settings.alpha } }
})
