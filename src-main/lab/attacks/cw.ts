/**
 * C&W-L2 — Carlini & Wagner, "Towards Evaluating the Robustness of Neural Networks", IEEE S&P 2017
 * (the attack that broke defensive distillation).
 *
 * Change of variables x' = (tanh(w) + 1)/2 keeps x' in [0, 1]; minimise with Adam
 *   ‖x' − x‖₂² + c · max(z_y(x') − max_{j≠y} z_j(x'), −κ)
 * and binary-search c per point (×10 while no adversarial was found, bisection once one was).
 * Settings and defaults (binarySteps 5, steps 100, initialC 0.01, κ (confidence) 0, learning rate
 * 0.01 — fewer iterations than the paper's 10,000): api/attacks/cw.ts.
 * Returns perturbationNorms (smallest L2 norm found, Infinity if none). Evaluated at a given ε, a
 * point whose smallest perturbation exceeds ε counts as robust: its returned image is x itself.
 */
import * as tf from '@tensorflow/tfjs-core'
import { cwL2Declaration } from '../../api/attacks/cw'
import { bestOtherLogit, logitsAndGradient, misclassified, read, sampleNorms, selectSamples, swap } from './base'
import { defineAttack } from './runner'

export const cwL2 = defineAttack(cwL2Declaration, async (model, x, y, { epsilon, settings }, progress) => {
  const { binarySteps, steps, initialC, confidence: kappa, learningRate: lr } = settings
  const n = x.shape[0]
  const classes = model.numClasses
  const c = new Float32Array(n).fill(initialC)
  const lowerC = new Float32Array(n).fill(0)
  const upperC = new Float32Array(n).fill(Infinity)
  const bestNorm = new Float32Array(n).fill(Infinity)
  let best = tf.clone(x)
  const w0 = tf.tidy(() => tf.atanh(tf.clipByValue(tf.sub(tf.mul(x, 2), 1), -0.999999, 0.999999)))
  const total = binarySteps * steps
  let done = 0

  for (let b = 0; b < binarySteps; b++) {
    let w = tf.clone(w0)
    let m = tf.zerosLike(w)
    let v = tf.zerosLike(w)
    const cT = tf.tensor1d(c)
    const foundThisRound = new Uint8Array(n)
    for (let k = 1; k <= steps; k++) {
      const [nextW, nextM, nextV] = tf.tidy(() => {
        const xPrime = tf.div(tf.add(tf.tanh(w), 1), 2) as tf.Tensor4D
        const hinge = (z: tf.Tensor2D): tf.Tensor1D => {
          const zy = tf.sum(tf.mul(z, tf.oneHot(tf.cast(y, 'int32'), classes)), 1)
          return tf.mul(cT, tf.maximum(tf.sub(zy, bestOtherLogit(z, y)), -kappa)) as tf.Tensor1D
        }
        const { logits, gradient } = logitsAndGradient(model, xPrime, hinge)
        // Record adversarial points (with margin κ) and their distance.
        const fooled = read(tf.clone(misclassified(logits, y)))
        const zy = tf.sum(tf.mul(logits, tf.oneHot(tf.cast(y, 'int32'), classes)), 1)
        const margins = read(tf.sub(bestOtherLogit(logits, y), zy))
        logits.dispose()
        const dist = read(sampleNorms(tf.sub(xPrime, x), 'L2'))
        const better = new Float32Array(n)
        let any = false
        for (let i = 0; i < n; i++)
          if (fooled[i] > 0 && margins[i] >= kappa) {
            foundThisRound[i] = 1
            if (dist[i] < bestNorm[i]) {
              bestNorm[i] = dist[i]
              better[i] = 1
              any = true
            }
          }
        if (any) best = swap(best, tf.keep(selectSamples(tf.tensor1d(better), xPrime, best)))
        // d/dx' of ‖x' − x‖² + hinge, then the chain rule through x' = (tanh(w) + 1)/2.
        const gx = tf.add(gradient, tf.mul(tf.sub(xPrime, x), 2))
        const gw = tf.mul(gx, tf.div(tf.sub(1, tf.square(tf.tanh(w))), 2))
        // Adam (Kingma & Ba 2015), β1 0.9, β2 0.999.
        const m2 = tf.add(tf.mul(m, 0.9), tf.mul(gw, 0.1))
        const v2 = tf.add(tf.mul(v, 0.999), tf.mul(tf.square(gw), 0.001))
        const mHat = tf.div(m2, 1 - 0.9 ** k)
        const vHat = tf.div(v2, 1 - 0.999 ** k)
        const w2 = tf.sub(w, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), 1e-8)), lr))
        return [w2, m2, v2]
      })
      tf.dispose([w, m, v])
      w = nextW
      m = nextM
      v = nextV
      progress?.(++done, total)
      await Promise.resolve()
    }
    tf.dispose([w, m, v, cT])
    // Binary search on c per point (the paper's schedule).
    for (let i = 0; i < n; i++) {
      if (foundThisRound[i]) {
        upperC[i] = Math.min(upperC[i], c[i])
        c[i] = (lowerC[i] + upperC[i]) / 2
      } else {
        lowerC[i] = Math.max(lowerC[i], c[i])
        c[i] = upperC[i] < Infinity ? (lowerC[i] + upperC[i]) / 2 : c[i] * 10
      }
    }
  }
  w0.dispose()
  // At ε: points whose smallest perturbation is larger count as robust → the original image.
  const within = tf.tensor1d(Float32Array.from(bestNorm, (d) => (d <= epsilon ? 1 : 0)))
  const chosen = selectSamples(within, best, x)
  tf.dispose([within, best])
  return { candidate: chosen, perturbationNorms: bestNorm, budget: { binarySteps, steps, initialC, confidence: kappa, learningRate: lr } }
})
