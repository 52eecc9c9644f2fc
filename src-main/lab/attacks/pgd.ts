/**
 * PGD — Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018:
 *   x_{k+1} = Π_{B(x, ε) ∩ [0,1]}(x_k + α · sign(∇x L(x_k)))  (L2: α · ∇/‖∇‖₂), from a uniform
 *   random start in the ball, best of `restarts` runs.
 * BIM — Kurakin, Goodfellow & Bengio, "Adversarial Examples in the Physical World", ICLR-W 2017:
 *   the same iteration from x itself (no random start).
 * Defaults: steps 10, stepSize 2.5·ε/steps (Madry's rule), restarts 1, loss "ce" (or "margin" = C&W),
 * random start on for PGD and off for BIM. The worst case over all iterates is kept per point.
 */
import * as tf from '@tensorflow/tfjs-core'
import { ascentDirection, booleanSetting, checkCall, choiceSetting, crossEntropyLoss, logitsAndGradient, marginLoss, numberSetting, projectToBall, randomStart, subSeed, swap, type SampleLoss } from './base'
import { WorstCase } from './best'
import type { Attack, AttackParams, AttackResult, Classifier } from './types'

export interface PgdSettings {
  steps: number
  stepSize: number
  restarts: number
  randomStart: boolean
  loss: 'ce' | 'margin'
}

export function pgdSettings(params: AttackParams, randomStartDefault: boolean): PgdSettings {
  const steps = numberSetting(params, 'steps', 10, { integer: true, min: 1 })
  return {
    steps,
    stepSize: numberSetting(params, 'stepSize', (2.5 * params.epsilon) / steps, { min: 0 }),
    restarts: numberSetting(params, 'restarts', 1, { integer: true, min: 1 }),
    randomStart: booleanSetting(params, 'randomStart', randomStartDefault),
    loss: choiceSetting(params, 'loss', ['ce', 'margin'] as const, 'ce')
  }
}

export async function runPgd(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  params: AttackParams,
  settings: PgdSettings,
  progress?: (done: number, total: number) => void
): Promise<AttackResult> {
  const loss: SampleLoss = settings.loss === 'ce' ? crossEntropyLoss : marginLoss
  const best = new WorstCase(x)
  const total = settings.steps * settings.restarts
  for (let r = 0; r < settings.restarts; r++) {
    let current = settings.randomStart ? randomStart(x, params.norm, params.epsilon, subSeed(params.seed, `pgd restart ${r}`)) : tf.clone(x)
    for (let k = 0; k < settings.steps; k++) {
      const next = tf.tidy(() => {
        const { logits, gradient } = logitsAndGradient(model, current, (z) => loss(z, y))
        best.offer(current, logits, y, loss(logits, y))
        logits.dispose() // kept by the gradient helper: dispose explicitly
        const moved = tf.add(current, tf.mul(ascentDirection(gradient, params.norm), settings.stepSize)) as tf.Tensor4D
        return projectToBall(x, moved, params.norm, params.epsilon)
      })
      current = swap(current, next)
      progress?.(r * settings.steps + k + 1, total)
      await Promise.resolve()
      // Every point already misclassified (by an earlier iterate): the outcome cannot change.
      if (best.fooledCount() === x.shape[0]) break
    }
    tf.tidy(() => {
      const logits = model.logits(current)
      best.offer(current, logits, y, loss(logits, y))
    })
    current.dispose()
    // Every point already fooled: further restarts cannot change the outcome.
    if (best.fooledCount() === x.shape[0]) break
  }
  progress?.(total, total)
  const adversarial = projectToBall(x, best.adversarial, params.norm, params.epsilon)
  best.adversarial.dispose()
  return { adversarial, budget: { ...settings } }
}

export const pgd: Attack = {
  id: 'pgd',
  description: 'PGD (Madry et al. 2018): 10 projected gradient-sign steps of 2.5·ε/10 from a random start in the ε-ball; cross-entropy (or margin) loss; restarts.',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('pgd', pgd.norms, model, x, y, params)
    return runPgd(model, x, y, params, pgdSettings(params, true), progress)
  }
}

export const bim: Attack = {
  id: 'bim',
  description: 'BIM (Kurakin et al. 2017): iterative FGSM from the clean image, 10 steps of 2.5·ε/10, clipped to the ε-ball and [0, 1].',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('bim', bim.norms, model, x, y, params)
    return runPgd(model, x, y, params, pgdSettings(params, false), progress)
  }
}
