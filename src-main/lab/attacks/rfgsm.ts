/**
 * FGSM with a random start.
 *  - "rfgsm" — Tramèr et al., "Ensemble Adversarial Training", ICLR 2018: x' = x + α·sign(N(0, I)),
 *    then one step of ε − α along sign(∇x L(x')). Default α = ε/2.
 *  - "fgsm-rs" — Wong, Rice & Kolter, "Fast is better than free", ICLR 2020: x' = x + U(−ε, ε),
 *    one step of α = 1.25·ε along sign(∇x L(x')), projected back onto the ε-ball.
 * Both L∞ (and L2 with the L2 direction and a uniform start in the L2 ball). Seeded.
 */
import * as tf from '@tensorflow/tfjs-core'
import { ascentDirection, checkCall, choiceSetting, crossEntropyLoss, logitsAndGradient, marginLoss, normal, numberSetting, projectToBall, randomStart, subSeed } from './base'
import type { Attack, AttackParams, Classifier } from './types'

function step(model: Classifier, x: tf.Tensor4D, start: tf.Tensor4D, y: tf.Tensor1D, params: AttackParams, size: number): tf.Tensor4D {
  const loss = choiceSetting(params, 'loss', ['ce', 'margin'] as const, 'ce') === 'ce' ? crossEntropyLoss : marginLoss
  return tf.tidy(() => {
    const { logits, gradient } = logitsAndGradient(model, start, (z) => loss(z, y))
    logits.dispose()
    return projectToBall(x, tf.add(start, tf.mul(ascentDirection(gradient, params.norm), size)) as tf.Tensor4D, params.norm, params.epsilon)
  })
}

export const rfgsm: Attack = {
  id: 'rfgsm',
  description: 'R-FGSM (Tramèr et al. 2018): a random step of α = ε/2 along sign(N(0, I)), then one gradient-sign step of ε − α.',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('rfgsm', rfgsm.norms, model, x, y, params)
    const eps = params.epsilon
    const alpha = numberSetting(params, 'alpha', eps / 2, { min: 0, max: eps })
    const start = tf.tidy(() => {
      const noise = ascentDirection(normal(x.shape, subSeed(params.seed, 'rfgsm')) as tf.Tensor4D, params.norm)
      return projectToBall(x, tf.add(x, tf.mul(noise, alpha)) as tf.Tensor4D, params.norm, eps)
    })
    const adversarial = step(model, x, start, y, params, eps - alpha)
    start.dispose()
    progress?.(1, 1)
    return { adversarial, budget: { gradients: 1, alpha } }
  }
}

export const fgsmRandomStart: Attack = {
  id: 'fgsm-rs',
  description: 'FGSM with a uniform random start (Wong et al. 2020): start in U(−ε, ε), one step of 1.25·ε, projected onto the ε-ball.',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('fgsm-rs', fgsmRandomStart.norms, model, x, y, params)
    const alpha = numberSetting(params, 'alpha', 1.25 * params.epsilon, { min: 0 })
    const start = randomStart(x, params.norm, params.epsilon, subSeed(params.seed, 'fgsm-rs'))
    const adversarial = step(model, x, start, y, params, alpha)
    start.dispose()
    progress?.(1, 1)
    return { adversarial, budget: { gradients: 1, alpha } }
  }
}
