/**
 * IBP and the global Lipschitz bound are bounds: they must hold for every perturbation we can try,
 * and be exact where the maths says they are (ε = 0 for IBP; a single linear layer's norms).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { sequentialLayers } from '../../../src-main/lab/eval/sequential'
import { certifyIbp } from '../../../src-main/lab/eval/ibp'
import { globalLipschitz, powerIteration } from '../../../src-main/lab/eval/lipschitz'
import { seededUniform } from '../../../src-main/lab/models/random'
import { images, tinyModel } from '../defences/fixtures'

beforeAll(async () => {
  await initEngine('cpu')
})

const margins = (logits: Float32Array, labels: Int32Array, k: number) =>
  Array.from(labels, (y, i) =>
    Math.min(...Array.from({ length: k }, (_, j) => (j === y ? Infinity : logits[i * k + y] - logits[i * k + j])))
  )

describe('certified accuracy by interval bound propagation', () => {
  for (const arch of ['mlp', 'cnn-small'] as const) {
    it(`${arch}: at ε = 0 the margin bound is the exact margin, and certified = correctly classified`, () => {
      const model = tinyModel(arch, 3)
      const shape = model.spec.inputShape
      const n = 20
      const x = images(n, shape, 4)
      const logits = model.forward(tf.tensor4d(x, [n, ...shape])).dataSync() as Float32Array
      const labels = Int32Array.from({ length: n }, (_, i) => i % 3)
      const r = certifyIbp(sequentialLayers(model)!, x, labels, shape, 0)
      const exact = margins(logits, labels, 3)
      r.marginLowerBounds.forEach((b, i) => expect(b).toBeCloseTo(exact[i], 4))
      expect(Array.from(r.certified)).toEqual(exact.map((m) => (m > 0 ? 1 : 0)))
    })

    it(`${arch}: the margin bound holds for random perturbations inside the ball`, () => {
      const model = tinyModel(arch, 5)
      const shape = model.spec.inputShape
      const n = 8
      const eps = 0.05
      const x = images(n, shape, 6)
      const labels = Int32Array.from({ length: n }, (_, i) => (i * 2) % 3)
      const r = certifyIbp(sequentialLayers(model)!, x, labels, shape, eps)
      const random = seededUniform(9)
      for (let trial = 0; trial < 20; trial++) {
        const moved = Float32Array.from(x, (v) => Math.min(1, Math.max(0, v + eps * (2 * random() - 1))))
        const logits = model.forward(tf.tensor4d(moved, [n, ...shape])).dataSync() as Float32Array
        margins(logits, labels, 3).forEach((m, i) => expect(m).toBeGreaterThanOrEqual(r.marginLowerBounds[i] - 1e-4))
      }
    })
  }

  it('says nothing about models it cannot bound soundly (BatchNorm, residual: resnet18)', async () => {
    const { createModel } = await import('../../../src-main/lab/models/model')
    expect(sequentialLayers(createModel({ arch: 'resnet18', inputShape: [8, 8, 3], numClasses: 3, width: 0.0625 }))).toBeNull()
  })
})

describe('the global Lipschitz bound', () => {
  it('power iteration finds the largest singular value of a known matrix', () => {
    const a = tf.tensor2d([3, 0, 0, 0, -5, 0, 0, 0, 1, 0, 0, 0], [4, 3])
    expect(powerIteration((v) => tf.matMul(tf.matMul(v as tf.Tensor2D, a, false, true), a), [1, 3], 100, 1)).toBeCloseTo(5, 4)
  })

  for (const arch of ['mlp', 'cnn-small'] as const) {
    it(`${arch}: ‖f(x) − f(x′)‖ ≤ L‖x − x′‖ for random pairs, in L2 and L∞`, () => {
      const model = tinyModel(arch, 7)
      const shape = model.spec.inputShape
      const bound = globalLipschitz(sequentialLayers(model)!, shape, 100)
      const n = 30
      const a = images(n, shape, 10)
      const b = Float32Array.from(a, (v, i) => Math.min(1, Math.max(0, v + 0.02 * Math.sin(i * 12.9898 + 78.233))))
      const fa = model.forward(tf.tensor4d(a, [n, ...shape])).dataSync()
      const fb = model.forward(tf.tensor4d(b, [n, ...shape])).dataSync()
      const d = a.length / n
      for (let s = 0; s < n; s++) {
        let dx2 = 0,
          dxi = 0,
          dy2 = 0,
          dyi = 0
        for (let i = s * d; i < (s + 1) * d; i++) {
          dx2 += (a[i] - b[i]) ** 2
          dxi = Math.max(dxi, Math.abs(a[i] - b[i]))
        }
        for (let k = s * 3; k < s * 3 + 3; k++) {
          dy2 += (fa[k] - fb[k]) ** 2
          dyi = Math.max(dyi, Math.abs(fa[k] - fb[k]))
        }
        expect(Math.sqrt(dy2)).toBeLessThanOrEqual(bound.L2 * Math.sqrt(dx2) * (1 + 1e-3))
        expect(dyi).toBeLessThanOrEqual(bound.Linf * dxi * (1 + 1e-3))
      }
    })
  }

  it("a conv layer's L2 norm matches the spectral norm of its explicit matrix", () => {
    const model = tinyModel('cnn-small', 11)
    const conv = sequentialLayers(model)!.find((l) => l.kind === 'conv')!
    if (conv.kind !== 'conv') throw new Error('no conv')
    const bound = globalLipschitz([conv], [8, 8, 1], 200)
    // The explicit matrix: the conv applied to every basis image.
    const d = 64
    const basis = tf.reshape(tf.eye(d), [d, 8, 8, 1]) as tf.Tensor4D
    const columns = tf.reshape(tf.conv2d(basis, tf.tensor4d(conv.filter, conv.shape), 1, 'same'), [d, -1]) // row i = A e_i
    const sigma = powerIteration((v) => tf.matMul(tf.matMul(v as tf.Tensor2D, columns), columns, false, true), [1, d], 500, 3)
    expect(bound.layers[0].L2).toBeCloseTo(sigma, 3)
  })
})
