import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { fgsm } from '../../../src-main/lab/attacks/fgsm'
import { pgd } from '../../../src-main/lab/attacks/pgd'
import { rng } from '../../../src-main/lab/attacks/base'

/**
 * A two-class linear model z = xW + b. Its margin m(x) = z_y − z_other = v·x + c with v = ±(w_0 − w_1)
 * is linear, so the worst case over {‖δ‖∞ ≤ ε} ∩ [0, 1]^D is attained coordinate by coordinate:
 * δ_i = −sign(v_i)·min(ε, room_i), room_i the distance to the box side in that direction. The
 * cross-entropy gradient is (p_y − 1)·v, whose sign is −sign(v): FGSM takes exactly that step, so on
 * a linear binary model FGSM is the optimal L∞ attack and its accuracy equals the closed form.
 */
const D = 64
const N = 400

function linearProblem(seed: number) {
  const r = rng(seed)
  const w = Float64Array.from({ length: D * 2 }, () => r() * 2 - 1) // [D, 2] row-major
  const b = [r() - 0.5, r() - 0.5]
  const x = Float64Array.from({ length: N * D }, () => r())
  // Labels are the clean predictions, so clean accuracy is 100% and every point can be attacked.
  const y = Int32Array.from({ length: N }, (_, i) => {
    let z0 = b[0]
    let z1 = b[1]
    for (let j = 0; j < D; j++) {
      z0 += x[i * D + j] * w[j * 2]
      z1 += x[i * D + j] * w[j * 2 + 1]
    }
    return z0 >= z1 ? 0 : 1
  })
  return { w, b, x, y }
}

/** Closed-form worst-case margin per point, in float64. */
function worstMargins(p: ReturnType<typeof linearProblem>, eps: number): Float64Array {
  return Float64Array.from({ length: N }, (_, i) => {
    const s = p.y[i] === 0 ? 1 : -1
    let m = s * (p.b[0] - p.b[1])
    for (let j = 0; j < D; j++) {
      const v = s * (p.w[j * 2] - p.w[j * 2 + 1])
      const xi = p.x[i * D + j]
      const room = v > 0 ? xi : 1 - xi // decreasing the margin moves x_i down when v > 0
      m += v * xi - Math.abs(v) * Math.min(eps, room)
    }
    return m
  })
}

beforeAll(async () => {
  await initEngine('wasm')
})

describe('FGSM on a linear model', () => {
  it.each([0.05, 0.1, 0.2])('is the optimal L∞ attack: its accuracy matches the closed form exactly (ε = %s)', async (eps) => {
    const p = linearProblem(7)
    const W = tf.tensor2d(Float32Array.from(p.w), [D, 2])
    const B = tf.tensor1d(p.b)
    const model = classifierFromFunction((x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], D]), W), B) as tf.Tensor2D, {
      numClasses: 2,
      inputShape: [8, 8, 1]
    })
    const x = tf.tensor4d(Float32Array.from(p.x), [N, 8, 8, 1])
    const y = tf.tensor1d(p.y, 'int32')
    const { adversarial } = await fgsm.run(model, x, y, { norm: 'Linf', epsilon: eps, seed: 0 })
    const predicted = tf.tidy(() => tf.argMax(model.logits(adversarial), 1)).dataSync()
    const margins = worstMargins(p, eps)
    // Points within float32 rounding of the boundary (|margin| < 1e-4) could go either way; they
    // are excluded from the comparison and there must be few of them.
    let compared = 0
    let robustClosedForm = 0
    let robustFgsm = 0
    for (let i = 0; i < N; i++) {
      if (Math.abs(margins[i]) < 1e-4) continue
      compared++
      if (margins[i] > 0) robustClosedForm++
      if (predicted[i] === p.y[i]) robustFgsm++
    }
    expect(compared).toBeGreaterThan(N - 5)
    expect(robustFgsm).toBe(robustClosedForm)
    // The case is not trivial: some points are robust, some are not.
    expect(robustClosedForm).toBeGreaterThan(0)
    expect(robustClosedForm).toBeLessThan(compared)
    tf.dispose([W, B, x, y, adversarial])
  })

  it('is matched but not beaten by PGD, since no L∞ attack can do better on a linear model', async () => {
    const p = linearProblem(11)
    const eps = 0.05
    const W = tf.tensor2d(Float32Array.from(p.w), [D, 2])
    const B = tf.tensor1d(p.b)
    const model = classifierFromFunction((x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], D]), W), B) as tf.Tensor2D, {
      numClasses: 2,
      inputShape: [8, 8, 1]
    })
    const x = tf.tensor4d(Float32Array.from(p.x), [N, 8, 8, 1])
    const y = tf.tensor1d(p.y, 'int32')
    const accuracyOf = (adv: tf.Tensor4D) =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.logits(adv), 1), y), 'float32')).dataSync()[0])
    const f = await fgsm.run(model, x, y, { norm: 'Linf', epsilon: eps, seed: 0 })
    const g = await pgd.run(model, x, y, { norm: 'Linf', epsilon: eps, seed: 0, steps: 20 })
    const closedForm = Array.from(worstMargins(p, eps)).filter((m) => m > 0).length / N
    expect(Math.abs(accuracyOf(f.adversarial) - closedForm)).toBeLessThanOrEqual(2 / N)
    expect(accuracyOf(g.adversarial)).toBeGreaterThanOrEqual(closedForm - 2 / N)
    tf.dispose([W, B, x, y, f.adversarial, g.adversarial])
  })
})
