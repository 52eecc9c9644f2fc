/**
 * CROWN is a bound: it must hold for every input in the ball (checked against 10,000 sampled points
 * per image, half of them corners of the box, where a piecewise-linear network's extremes tend to
 * lie), be exact where the maths says so (ε = 0), and never be looser than IBP on the same model
 * and input — the reason to compute it at all.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { sequentialLayers } from '../../../src-main/lab/eval/sequential'
import { certifyIbp } from '../../../src-main/lab/eval/ibp'
import { certifyCrown } from '../../../src-main/lab/certify/crown'
import { crownBesideIbp } from '../../../src-main/lab/certify/crown-beside-ibp'
import { seededUniform } from '../../../src-main/lab/models/random'
import { images, tinyModel } from '../defences/fixtures'
import type { SequentialLayer } from '../../../src-main/lab/eval/sequential'

beforeAll(async () => {
  await initEngine('cpu')
})

const margins = (logits: Float32Array, labels: Int32Array, k: number) =>
  Array.from(labels, (y, i) =>
    Math.min(...Array.from({ length: k }, (_, j) => (j === y ? Infinity : logits[i * k + y] - logits[i * k + j])))
  )

describe('certified accuracy by CROWN', () => {
  for (const arch of ['mlp', 'cnn-small'] as const) {
    it(`${arch}: at ε = 0 the margin bound is the exact margin`, () => {
      const model = tinyModel(arch, 3)
      const shape = model.spec.inputShape
      const n = 6
      const x = images(n, shape, 4)
      const logits = model.forward(tf.tensor4d(x, [n, ...shape])).dataSync() as Float32Array
      const labels = Int32Array.from({ length: n }, (_, i) => i % 3)
      const r = certifyCrown(sequentialLayers(model)!, x, labels, shape, 0)
      const exact = margins(logits, labels, 3)
      r.backSubstitutedBounds.forEach((b, i) => expect(b).toBeCloseTo(exact[i], 4))
      expect(Array.from(r.certified)).toEqual(exact.map((m) => (m > 0 ? 1 : 0)))
    })

    it(`${arch}: never looser than IBP on random networks, and strictly tighter on some inputs`, () => {
      let tighter = 0
      let total = 0
      for (const seed of [11, 12]) {
        const model = tinyModel(arch, seed)
        const shape = model.spec.inputShape
        const layers = sequentialLayers(model)!
        const n = 4
        const x = images(n, shape, seed + 100)
        const labels = Int32Array.from({ length: n }, (_, i) => i % 3)
        for (const eps of [0.01, 0.03, 0.1]) {
          const ibp = certifyIbp(layers, x, labels, shape, eps)
          const crown = certifyCrown(layers, x, labels, shape, eps)
          crown.marginLowerBounds.forEach((b, i) => {
            expect(b).toBeGreaterThanOrEqual(ibp.marginLowerBounds[i] - 1e-4)
            if (crown.backSubstitutedBounds[i] > ibp.marginLowerBounds[i] + 1e-4) tighter++
            total++
          })
          expect(crown.certifiedAccuracy).toBeGreaterThanOrEqual(ibp.certifiedAccuracy)
        }
      }
      expect(tighter).toBeGreaterThan(total / 2)
    })

    it(`${arch}: CROWN and IBP both hold at 10,000 sampled points of the ball`, () => {
      const model = tinyModel(arch, 5)
      const shape = model.spec.inputShape
      const layers = sequentialLayers(model)!
      const size = shape[0] * shape[1] * shape[2]
      const eps = 0.05
      const x = images(2, shape, 6)
      const labels = Int32Array.from([0, 2])
      const crown = certifyCrown(layers, x, labels, shape, eps)
      const ibp = certifyIbp(layers, x, labels, shape, eps)
      expect(Object.values(crown.intermediate)).toContain('crown')
      const random = seededUniform(9)
      for (let s = 0; s < 2; s++) {
        const points = 10_000
        const moved = new Float32Array(points * size)
        for (let p = 0; p < points; p++)
          for (let i = 0; i < size; i++) {
            const v = x[s * size + i]
            const t = p % 2 === 0 ? (random() < 0.5 ? -1 : 1) : 2 * random() - 1
            moved[p * size + i] = Math.min(1, Math.max(0, v + eps * t))
          }
        const logits = tf.tidy(() => model.forward(tf.tensor4d(moved, [points, ...shape])).dataSync() as Float32Array)
        const lowest = Math.min(...margins(logits, new Int32Array(points).fill(labels[s]), 3))
        expect(lowest).toBeGreaterThanOrEqual(crown.marginLowerBounds[s] - 1e-4)
        expect(lowest).toBeGreaterThanOrEqual(crown.backSubstitutedBounds[s] - 1e-4)
        expect(lowest).toBeGreaterThanOrEqual(ibp.marginLowerBounds[s] - 1e-4)
      }
    })
  }
})

describe("CROWN's max-pool relaxation", () => {
  // A 2×2 image [a b; c d] through a conv whose output is (a + b/2, b, c + d/2, d), a ReLU, one
  // max-pool window m and logits (m, −m). With a = 0.3, b = 0.6, c = d = 0 and ε = 0.1 the window's
  // largest lower bound (b: 0.5) does not dominate (a + b/2 reaches 0.75): the worst cases are
  // min m = 0.5 and max m = 0.75 (at a = 0.4, b = 0.7), so the margins are 2·0.5 and −2·0.75.
  const filter = new Float32Array(9)
  filter[4] = 1
  filter[5] = 0.5
  const layers: SequentialLayer[] = [
    { kind: 'normalise', scale: [1], shift: [0] },
    { kind: 'conv', name: 'conv', filter, shape: [3, 3, 1, 1], bias: new Float32Array(1), relu: true },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'linear', name: 'out', weight: Float32Array.from([1, -1]), inputs: 1, outputs: 2, bias: new Float32Array(2), relu: false }
  ]
  const x = Float32Array.from([0.3, 0.6, 0, 0, 0.3, 0.6, 0, 0])

  it('bounds the max from above by the largest upper bound when no input dominates, and is exact here', () => {
    const r = certifyCrown(layers, x, Int32Array.from([0, 1]), [2, 2, 1], 0.1)
    expect(r.backSubstitutedBounds[0]).toBeCloseTo(1.0, 5)
    expect(r.backSubstitutedBounds[1]).toBeCloseTo(-1.5, 5)
  })
})

describe('CROWN beside IBP in an evaluation', () => {
  it('certifies exactly the samples CROWN certifies on its own, running CROWN only where IBP did not already decide', () => {
    const model = tinyModel('mlp', 21)
    const shape = model.spec.inputShape
    const layers = sequentialLayers(model)!
    const n = 12
    const x = images(n, shape, 22)
    const logits = model.forward(tf.tensor4d(x, [n, ...shape])).dataSync() as Float32Array
    const predictions = Int32Array.from({ length: n }, (_, i) =>
      [0, 1, 2].reduce((best, c) => (logits[i * 3 + c] > logits[i * 3 + best] ? c : best), 0)
    )
    // Labels: the prediction on most samples, a wrong class on every fourth.
    const labels = Int32Array.from(predictions, (p, i) => (i % 4 === 3 ? (p + 1) % 3 : p))
    for (const eps of [0.005, 0.05]) {
      const ibp = certifyIbp(layers, x, labels, shape, eps)
      const alone = certifyCrown(layers, x, labels, shape, eps)
      const beside = crownBesideIbp(layers, { images: x, labels }, shape, eps, 10, ibp.certified, predictions)
      expect(Array.from(beside.certified)).toEqual(Array.from(alone.certified.subarray(0, 10)))
      const undecided = Array.from({ length: 10 }, (_, i) => i).filter((i) => !ibp.certified[i] && predictions[i] === labels[i]).length
      expect(beside.computed).toBe(undecided)
    }
  })
})
