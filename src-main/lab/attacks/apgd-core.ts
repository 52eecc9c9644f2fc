/**
 * APGD — Croce & Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020, Algorithm 1. Shared by apgd-ce, apgd-dlr and apgd-t.
 *
 *  - step size η starts at 2ε and is halved at checkpoints w_j = ⌈p_j·N_iter⌉, with p_0 = 0,
 *    p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06), when either
 *      (1) the loss rose in fewer than ρ = 0.75 of the steps since the last checkpoint, or
 *      (2) η was not halved at the last checkpoint and the best loss has not grown since;
 *    after halving, the iterate restarts from the best point found so far;
 *  - momentum: z = Π(x_k + η·sign ∇), x_{k+1} = Π(x_k + α(z − x_k) + (1 − α)(x_k − x_{k−1})), α = 0.75.
 * Everything is per point (η, counters, best point), all points in one batch.
 */
import * as tf from '@tensorflow/tfjs-core'
import { ascentDirection, logitsAndGradient, perSample, projectToBall, randomStart, read, selectSamples, swap } from './base'
import type { WorstCase } from './best'
import type { Classifier, Norm } from './types'

/** The iterations after which the step size may be halved. */
export function apgdCheckpoints(steps: number): number[] {
  const p = [0, 0.22]
  while (p[p.length - 1] < 1) {
    const n = p.length
    p.push(p[n - 1] + Math.max(p[n - 1] - p[n - 2] - 0.03, 0.06))
  }
  const w = p.map((v) => Math.ceil(v * steps)).filter((v) => v > 0 && v <= steps)
  return [...new Set(w)]
}

export interface ApgdRun {
  norm: Norm
  epsilon: number
  steps: number
  seed: number
  /** Per-sample loss to maximise (given logits). */
  loss: (logits: tf.Tensor2D) => tf.Tensor1D
  rho?: number
  momentum?: number
}

/** One APGD run from a random start; every iterate is offered to `best`. */
export async function runApgdOnce(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  run: ApgdRun,
  best: WorstCase,
  onStep?: () => void
): Promise<void> {
  const { norm, epsilon, steps } = run
  const rho = run.rho ?? 0.75
  const alpha = run.momentum ?? 0.75
  const n = x.shape[0]
  const evaluate = (point: tf.Tensor4D): { gradient: tf.Tensor4D; loss: Float32Array } => {
    const { logits, gradient } = logitsAndGradient(model, point, run.loss)
    const lossT = run.loss(logits)
    best.offer(point, logits, y, lossT)
    const loss = read(lossT)
    logits.dispose()
    return { gradient, loss }
  }

  let xAdv = randomStart(x, norm, epsilon, run.seed)
  const first = evaluate(xAdv)
  let grad = first.gradient
  let lossCur = first.loss
  let xBest = tf.clone(xAdv)
  let gBest = tf.clone(grad)
  const lossBest = Float32Array.from(lossCur)
  let xPrev = tf.clone(xAdv)
  const eta = new Float32Array(n).fill(2 * epsilon)
  const increases = new Float32Array(n)
  let lossBestAtCheckpoint = Float32Array.from(lossBest)
  let reducedAtCheckpoint = new Uint8Array(n)
  const checkpoints = apgdCheckpoints(steps)
  let lastCheckpoint = 0

  for (let k = 0; k < steps; k++) {
    const xNew = tf.tidy(() => {
      const etaT = perSample(tf.tensor1d(eta))
      const z = projectToBall(x, tf.add(xAdv, tf.mul(etaT, ascentDirection(grad, norm))) as tf.Tensor4D, norm, epsilon)
      if (k === 0) return z
      const moved = tf.add(tf.add(xAdv, tf.mul(tf.sub(z, xAdv), alpha)), tf.mul(tf.sub(xAdv, xPrev), 1 - alpha)) as tf.Tensor4D
      return projectToBall(x, moved, norm, epsilon)
    })
    const next = evaluate(xNew)
    const improved = new Float32Array(n)
    let anyImproved = false
    for (let i = 0; i < n; i++) {
      if (next.loss[i] > lossCur[i]) increases[i] += 1
      if (next.loss[i] > lossBest[i]) {
        improved[i] = 1
        anyImproved = true
        lossBest[i] = next.loss[i]
      }
    }
    if (anyImproved) {
      const mask = tf.tensor1d(improved)
      xBest = swap(xBest, selectSamples(mask, xNew, xBest))
      gBest = swap(gBest, selectSamples(mask, next.gradient, gBest))
      mask.dispose()
    }
    xPrev = swap(xPrev, xAdv)
    xAdv = xNew
    grad.dispose()
    grad = next.gradient
    lossCur = next.loss

    if (checkpoints.includes(k + 1)) {
      const height = k + 1 - lastCheckpoint
      const reduce = new Uint8Array(n)
      let anyReduced = false
      for (let i = 0; i < n; i++) {
        const fewIncreases = increases[i] < rho * height
        const stalled = !reducedAtCheckpoint[i] && lossBestAtCheckpoint[i] >= lossBest[i]
        if (fewIncreases || stalled) {
          reduce[i] = 1
          anyReduced = true
          eta[i] /= 2
        }
      }
      if (anyReduced) {
        const mask = tf.tensor1d(Float32Array.from(reduce))
        xAdv = swap(xAdv, selectSamples(mask, xBest, xAdv))
        grad = swap(grad, selectSamples(mask, gBest, grad))
        mask.dispose()
      }
      reducedAtCheckpoint = reduce
      lossBestAtCheckpoint = Float32Array.from(lossBest)
      increases.fill(0)
      lastCheckpoint = k + 1
    }
    onStep?.()
    await Promise.resolve()
    // Every point already misclassified: no further step can change the outcome.
    if (best.fooledCount() === n) break
  }
  tf.dispose([xAdv, xPrev, xBest, gBest, grad])
}
