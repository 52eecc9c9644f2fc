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
 * Defaults (AutoAttack standard): steps 100, targets 9, α_max 0.1, η 1.05, β 0.9, restarts 1.
 * Returns the smallest perturbation norm found per point (Infinity if none); the adversarial image
 * is that point when its norm is ≤ ε, else it is projected onto the ε-ball.
 */
import * as tf from '@tensorflow/tfjs-core'
import { checkCall, gatherRows, logitsAndGradient, misclassified, numberSetting, perSample, projectToBall, read, sampleNorms, scatterRows, selectSamples, swap } from './base'
import type { Attack, AttackParams, AttackResult, Classifier, Norm } from './types'

/**
 * The smallest d (in `norm`) with Σ w·d = c and p + d in [0, 1], per point; where no such d
 * exists, the d that gets closest. w, p: [N, D]; c: [N].
 */
export function boxProjection(w: tf.Tensor2D, p: tf.Tensor2D, c: tf.Tensor1D, norm: Norm, iterations = 30): tf.Tensor2D {
  return tf.tidy(() => {
    const s = tf.reshape(tf.sign(c), [-1, 1])
    const sw = tf.mul(w, s) // moving along +sw raises s·(w·d)
    const target = tf.abs(c)
    if (norm === 'Linf') {
      const dir = tf.sign(sw)
      const room = tf.where(tf.greater(dir, 0), tf.sub(1, p), p)
      const wAbs = tf.abs(w)
      let lo: tf.Tensor = tf.zeros([w.shape[0], 1])
      let hi: tf.Tensor = tf.ones([w.shape[0], 1])
      for (let i = 0; i < iterations; i++) {
        const mid = tf.div(tf.add(lo, hi), 2)
        const reach = tf.sum(tf.mul(wAbs, tf.minimum(mid, room)), 1)
        const enough = tf.reshape(tf.greaterEqual(reach, target), [-1, 1])
        hi = tf.where(enough, mid, hi)
        lo = tf.where(enough, lo, mid)
      }
      return tf.mul(dir, tf.minimum(hi, room)) as tf.Tensor2D
    }
    // L2: d = clip(μ·sw, −p, 1 − p) (in the sign-flipped frame), μ ≥ μ0 = |c|/‖w‖², found in log space.
    const lower = tf.neg(p)
    const upper = tf.sub(1, p)
    const mu0 = tf.reshape(tf.div(target, tf.maximum(tf.sum(tf.square(w), 1), 1e-20)), [-1, 1])
    let lo: tf.Tensor = tf.zeros([w.shape[0], 1])
    let hi: tf.Tensor = tf.fill([w.shape[0], 1], 30)
    const at = (t: tf.Tensor) => tf.clipByValue(tf.minimum(tf.maximum(tf.mul(sw, tf.mul(mu0, tf.exp(t))), lower), upper), -1, 1)
    for (let i = 0; i < iterations; i++) {
      const mid = tf.div(tf.add(lo, hi), 2)
      const reach = tf.sum(tf.mul(sw, at(mid)), 1)
      const enough = tf.reshape(tf.greaterEqual(reach, target), [-1, 1])
      hi = tf.where(enough, mid, hi)
      lo = tf.where(enough, lo, mid)
    }
    return at(hi) as tf.Tensor2D
  })
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

export async function runFabT(model: Classifier, x: tf.Tensor4D, y: tf.Tensor1D, params: AttackParams, progress?: (done: number, total: number) => void): Promise<AttackResult> {
  const steps = numberSetting(params, 'steps', 100, { integer: true, min: 1 })
  const targets = numberSetting(params, 'targets', Math.min(9, model.numClasses - 1), { integer: true, min: 1, max: model.numClasses - 1 })
  const settings = {
    steps,
    alphaMax: numberSetting(params, 'alphaMax', 0.1, { min: 0, max: 1 }),
    eta: numberSetting(params, 'eta', 1.05, { min: 1 }),
    beta: numberSetting(params, 'beta', 0.9, { min: 0, max: 1 })
  }
  const n = x.shape[0]
  const norms = new Float32Array(n).fill(Infinity)
  let adversarial = tf.clone(x)
  let done = 0
  const total = steps * targets
  for (let t = 0; t < targets; t++) {
    // Points already broken within ε need no other target.
    const rows: number[] = []
    for (let i = 0; i < n; i++) if (!(norms[i] <= params.epsilon)) rows.push(i)
    if (rows.length === 0) break
    const xs = gatherRows(x, rows)
    const ys = gatherRows(y, rows)
    const target = tf.tidy(() => {
      const order = tf.topk(model.logits(xs), t + 2, true).indices
      return tf.squeeze(tf.slice(order, [0, t + 1], [-1, 1]), [1]) as tf.Tensor1D
    })
    const state: FabState = { norms: Float32Array.from(rows, (r) => norms[r]), adversarial: gatherRows(adversarial, rows) }
    await fabTowardTarget(model, xs, ys, target, params.norm, settings, state, () => progress?.(++done, total))
    rows.forEach((r, j) => (norms[r] = state.norms[j]))
    adversarial = swap(adversarial, scatterRows(adversarial, rows, state.adversarial))
    tf.dispose([xs, ys, target, state.adversarial])
    done = (t + 1) * steps
  }
  const out = projectToBall(x, adversarial, params.norm, params.epsilon)
  adversarial.dispose()
  return { adversarial: out, perturbationNorms: norms, budget: { ...settings, targets, restarts: 1 } }
}

export const fabT: Attack = {
  id: 'fab-t',
  description: 'FAB-T (Croce & Hein 2020): targeted minimal-perturbation attack by projections onto the linearised boundary, 9 targets × 100 steps.',
  norms: ['Linf', 'L2'],
  async run(model, x, y, params, progress) {
    checkCall('fab-t', fabT.norms, model, x, y, params)
    return runFabT(model, x, y, params, progress)
  }
}
