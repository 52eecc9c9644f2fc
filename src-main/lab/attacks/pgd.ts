/**
 * PGD — Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018:
 *   x_{k+1} = Π_{B(x, ε) ∩ [0,1]}(x_k + α · sign(∇x L(x_k)))  (L2: α · ∇/‖∇‖₂), from a uniform
 *   random start in the ball, best of `restarts` runs.
 * BIM — Kurakin, Goodfellow & Bengio, "Adversarial Examples in the Physical World", ICLR-W 2017:
 *   the same iteration from x itself (no random start).
 * Settings and defaults (steps 10, stepSize 2.5·ε/steps — Madry's rule —, restarts 1, loss "ce" or
 * "margin" = C&W, random start on for PGD and off for BIM): api/attacks/pgd.ts. The worst case over
 * all iterates is kept per point.
 */
import * as tf from '@tensorflow/tfjs-core'
import { bimDeclaration, pgdDeclaration, type PgdSettings } from '../../api/attacks/pgd'
import {
  ascentDirection,
  crossEntropyLoss,
  logitsAndGradient,
  marginLoss,
  projectToBall,
  randomStart,
  subSeed,
  swap,
  type SampleLoss
} from './base'
import { WorstCase } from './best'
import { defineAttack, type AlgorithmResult, type AttackCall } from './runner'
import type { Classifier } from './types'

export async function runPgd(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  call: AttackCall<PgdSettings>,
  progress?: (done: number, total: number) => void
): Promise<AlgorithmResult> {
  const { settings, norm, epsilon, seed } = call
  const loss: SampleLoss = settings.loss === 'ce' ? crossEntropyLoss : marginLoss
  const best = new WorstCase(x)
  const total = settings.steps * settings.restarts
  for (let r = 0; r < settings.restarts; r++) {
    let current = settings.randomStart ? randomStart(x, norm, epsilon, subSeed(seed, `pgd restart ${r}`)) : tf.clone(x)
    for (let k = 0; k < settings.steps; k++) {
      const next = tf.tidy(() => {
        const { logits, gradient } = logitsAndGradient(model, current, (z) => loss(z, y))
        best.offer(current, logits, y, loss(logits, y))
        logits.dispose() // kept by the gradient helper: dispose explicitly
        const moved = tf.add(current, tf.mul(ascentDirection(gradient, norm), settings.stepSize)) as tf.Tensor4D
        return projectToBall(x, moved, norm, epsilon)
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
  return { candidate: best.adversarial, budget: { ...settings } }
}

export const pgd = defineAttack(pgdDeclaration, runPgd)

export const bim = defineAttack(bimDeclaration, runPgd)
