/**
 * Regression for the wasm engine's under-attack: FGSM on an input whose gradient components are all
 * in (1e-9, 1e-7) — the regime of a temperature-scaled (distilled) model — moves every pixel by
 * exactly ε. With the backend's thresholded sign, no pixel moved at all.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { fgsm } from '../../../src-main/lab/attacks/fgsm'
import { rng } from '../../../src-main/lab/attacks/base'

const D = 49 // a 7×7×1 image

/** A linear model z = x·W with tiny weights: ∂CE/∂x = W (p − onehot(y)), every component tiny. */
function tinyGradientModel() {
  const r = rng(11)
  // Column 1 = −column 0, so ∂CE/∂x_i = ±w_i0 (p ≈ ½ for both classes); |w_i0| ∈ [2e-9, 9e-8].
  const w = new Float32Array(D * 2)
  for (let i = 0; i < D; i++) {
    w[2 * i] = (r() < 0.5 ? -1 : 1) * (2e-9 + r() * 8.8e-8)
    w[2 * i + 1] = -w[2 * i]
  }
  const W = tf.tensor2d(w, [D, 2])
  return classifierFromFunction((x) => tf.matMul(tf.reshape(x, [x.shape[0], D]), W) as tf.Tensor2D, {
    numClasses: 2,
    inputShape: [7, 7, 1]
  })
}

describe.each(['wasm', 'cpu'])('FGSM with gradients in (1e-9, 1e-7) on %s', (backend) => {
  beforeAll(async () => {
    await initEngine('wasm')
    await tf.setBackend(backend)
  })

  it('the gradient really is that small', () => {
    const model = tinyGradientModel()
    const x = tf.fill([3, 7, 7, 1], 0.5) as tf.Tensor4D
    const y = tf.tensor1d([0, 1, 0], 'int32')
    const g = model.gradient(
      x,
      (z) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 2), z, undefined, undefined, tf.Reduction.SUM) as tf.Scalar
    )
    for (const v of g.dataSync()) {
      expect(Math.abs(v)).toBeGreaterThan(1e-9)
      expect(Math.abs(v)).toBeLessThan(1e-7)
    }
  })

  it('moves every pixel by exactly ε (L∞)', async () => {
    const model = tinyGradientModel()
    const eps = 0.1
    const x = tf.fill([3, 7, 7, 1], 0.5) as tf.Tensor4D
    const y = tf.tensor1d([0, 1, 0], 'int32')
    const { adversarial } = await fgsm.run(model, x, y, { norm: 'Linf', epsilon: eps, seed: 0 })
    const moved = adversarial.dataSync()
    // 0.5 ± ε rounded to float32: the exact step in pixel arithmetic.
    const up = Math.fround(0.5 + eps) - 0.5
    const down = 0.5 - Math.fround(0.5 - eps)
    for (const v of moved) {
      const d = Math.abs(v - 0.5)
      expect(d === up || d === down, `pixel moved by ${d}`).toBe(true)
    }
  })

  it('takes a full ε step in L2 too', async () => {
    const model = tinyGradientModel()
    const eps = 0.5
    const x = tf.fill([2, 7, 7, 1], 0.5) as tf.Tensor4D
    const y = tf.tensor1d([0, 1], 'int32')
    const { adversarial } = await fgsm.run(model, x, y, { norm: 'L2', epsilon: eps, seed: 0 })
    const d = tf.sub(adversarial, x).dataSync()
    for (let s = 0; s < 2; s++) {
      const norm = Math.hypot(...Array.from(d.slice(s * D, (s + 1) * D)))
      expect(norm).toBeCloseTo(eps, 5)
    }
  })
})
