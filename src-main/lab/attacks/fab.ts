/**
 * FAB-T — Croce & Hein, "Minimally distorted Adversarial Examples with a Fast Adaptive Boundary
 * Attack", ICML 2020; targeted version as used in AutoAttack (Croce & Hein 2020).
 *
 * For a target class t, linearise f(x) = z_y(x) − z_t(x) at the iterate x_i and project onto the
 * hyperplane f(x_i) + ∇f·(z − x_i) = 0 within the box [0, 1], both from x_i (δ_i) and from the
 * original x (δ_o); step to
 *   x_{i+1} = clip((1 − α)(x_i + η·δ_i) + α(x + η·δ_o)),   α = min(‖δ_i‖ / (‖δ_i‖ + ‖δ_o‖), α_max),
 * and after every adversarial iterate step back toward x: x_{i+1} = (1 − β)·x + β·x_{i+1}.
 * The box-constrained minimal-norm projection is solved per point by bisection (L∞: on the radius;
 * L2: on the multiplier) instead of the paper's sorting solver — same solution, simpler code.
 * Settings and defaults (AutoAttack standard: steps 100, targets 9, α_max 0.1, η 1.05, β 0.9):
 * api/attacks/fab.ts; one restart.
 * Returns the smallest perturbation norm found per point (Infinity if none); the adversarial image
 * is that point when its norm is ≤ ε, else it is projected onto the ε-ball.
 */
import * as tf from '@tensorflow/tfjs-core'
import { fabTDeclaration } from '../../api/attacks/fab'
import { gatherRows, logitsAndGradient, misclassified, perSample, read, sampleNorms, scatterRows, selectSamples, swap } from './base'
import { defineAttack } from './runner'
import type { Classifier, Norm } from './types'

/**
 * The smallest d (in `norm`) with Σ w·d = c and p + d in [0, 1], per point; where no such d
 * exists, the d that gets closest. w, p: [N, D]; c: [N]. Solved on the host by bisection (32
 * halvings; float64): a handful of passes over N·D numbers, far cheaper than as tensor ops.
 */
export function boxProjection(w: tf.Tensor2D, p: tf.Tensor2D, c: tf.Tensor1D, norm: Norm): tf.Tensor2D {
  const [n, d] = w.shape
  const W = w.dataSync() as Float32Array
  const P = p.dataSync() as Float32Array
  const C = c.dataSync() as Float32Array
  const out = new Float32Array(n * d)
  for (let i = 0; i < n; i++) {
    const s = Math.sign(C[i])
    const target = Math.abs(C[i])
    if (s === 0) continue
    const o = i * d
    // In the frame where moving along sw = s·w raises s·(w·d) toward |c|.
    const reach = (param: number): number => {
      let total = 0
      for (let j = 0; j < d; j++) {
        const sw = s * W[o + j]
        total += sw * step(j, sw, param)
      }
      return total
    }
    const step =
      norm === 'Linf'
        ? (j: number, sw: number, r: number): number => (sw > 0 ? Math.min(r, 1 - P[o + j]) : sw < 0 ? -Math.min(r, P[o + j]) : 0)
        : (j: number, sw: number, mu: number): number => Math.min(Math.max(mu * sw, -P[o + j]), 1 - P[o + j])
    let lo = 0
    let hi: number
    if (norm === 'Linf') hi = 1
    else {
      // Unclipped solution μ0 = |c|/‖w‖² is a lower bound; grow the upper bound until it reaches.
      let ww = 0
      for (let j = 0; j < d; j++) ww += W[o + j] * W[o + j]
      lo = ww > 0 ? target / ww : 0
      hi = Math.max(lo, 1e-12) * 2
      for (let k = 0; k < 200 && reach(hi) < target; k++) hi *= 2
    }
    for (let k = 0; k < 32; k++) {
      const mid = (lo + hi) / 2
      if (reach(mid) >= target) hi = mid
      else lo = mid
    }
    for (let j = 0; j < d; j++) out[o + j] = step(j, s * W[o + j], hi)
  }
  return tf.tensor2d(out, [n, d])
}

interface FabState {
  norms: Float32Array
  adversarial: tf.Tensor4D
}

async function fabTowardTarget(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  target: tf.Tensor1D,
  norm: Norm,
  settings: { steps: number; alphaMax: number; eta: number; beta: number },
  state: FabState,
  tick: () => void
): Promise<void> {
  const [n] = x.shape
  const d = x.size / n
  const flatX = tf.reshape(x, [n, d]) as tf.Tensor2D
  const classes = model.numClasses
  const f = (z: tf.Tensor2D): tf.Tensor1D =>
    tf.sum(tf.mul(z, tf.sub(tf.oneHot(tf.cast(y, 'int32'), classes), tf.oneHot(tf.cast(target, 'int32'), classes))), 1) as tf.Tensor1D
  let xi = tf.clone(x)
  for (let step = 0; step < settings.steps; step++) {
    const moved = tf.tidy(() => {
      const { logits, gradient } = logitsAndGradient(model, xi, f)
      const fx = f(logits)
      logits.dispose()
      const w = tf.reshape(gradient, [n, d]) as tf.Tensor2D
      const p = tf.reshape(xi, [n, d]) as tf.Tensor2D
      // Hyperplane f(x_i) + w·(z − x_i) = 0, reached from x_i and from the original x.
      const dI = boxProjection(w, p, tf.neg(fx) as tf.Tensor1D, norm)
      const cOrig = tf.neg(tf.add(fx, tf.sum(tf.mul(w, tf.sub(flatX, p)), 1))) as tf.Tensor1D
      const dO = boxProjection(w, flatX, cOrig, norm)
      const nI = sampleNorms(dI, norm)
      const nO = sampleNorms(dO, norm)
      const alpha = tf.minimum(tf.div(nI, tf.maximum(tf.add(nI, nO), 1e-12)), settings.alphaMax)
      const a = perSample(alpha, 2)
      const next = tf.add(tf.mul(tf.sub(1, a), tf.add(p, tf.mul(dI, settings.eta))), tf.mul(a, tf.add(flatX, tf.mul(dO, settings.eta))))
      return tf.clipByValue(tf.reshape(next, x.shape), 0, 1) as tf.Tensor4D
    })
    xi.dispose()
    // Adversarial iterates: remember the smallest, then step back toward x (the β step).
    const fooledT = tf.tidy(() => misclassified(model.logits(moved), y))
    const fooled = read(tf.clone(fooledT))
    const norms = read(tf.tidy(() => sampleNorms(tf.sub(moved, x), norm)))
    const better = new Float32Array(n)
    let any = false
    for (let i = 0; i < n; i++)
      if (fooled[i] > 0 && norms[i] < state.norms[i]) {
        state.norms[i] = norms[i]
        better[i] = 1
        any = true
      }
    if (any) {
      const mask = tf.tensor1d(better)
      state.adversarial = swap(state.adversarial, selectSamples(mask, moved, state.adversarial))
      mask.dispose()
    }
    xi = tf.tidy(() => selectSamples(fooledT, tf.add(tf.mul(x, 1 - settings.beta), tf.mul(moved, settings.beta)) as tf.Tensor4D, moved))
    tf.dispose([moved, fooledT])
    tick()
    await Promise.resolve()
  }
  tf.dispose([xi, flatX])
}

export const fabT = defineAttack(fabTDeclaration, async (model, x, y, call, progress) => {
  const { steps, targets, alphaMax, eta, beta } = call.settings
  const settings = { steps, alphaMax, eta, beta }
  const n = x.shape[0]
  const norms = new Float32Array(n).fill(Infinity)
  let adversarial = tf.clone(x)
  let done = 0
  const total = steps * targets
  for (let t = 0; t < targets; t++) {
    // Points already broken within ε need no other target.
    const rows: number[] = []
    for (let i = 0; i < n; i++) if (!(norms[i] <= call.epsilon)) rows.push(i)
    if (rows.length === 0) break
    const xs = gatherRows(x, rows)
    const ys = gatherRows(y, rows)
    const target = tf.tidy(() => {
      const order = tf.topk(model.logits(xs), t + 2, true).indices
      return tf.squeeze(tf.slice(order, [0, t + 1], [-1, 1]), [1]) as tf.Tensor1D
    })
    const state: FabState = { norms: Float32Array.from(rows, (r) => norms[r]), adversarial: gatherRows(adversarial, rows) }
    await fabTowardTarget(model, xs, ys, target, call.norm, settings, state, () => progress?.(++done, total))
    rows.forEach((r, j) => (norms[r] = state.norms[j]))
    adversarial = swap(adversarial, scatterRows(adversarial, rows, state.adversarial))
    tf.dispose([xs, ys, target, state.adversarial])
    done = (t + 1) * steps
  }
  return { candidate: adversarial, perturbationNorms: norms, budget: { ...settings, targets, restarts: 1 } }
})
