/**
 * The gradient-masking toys do what they declare: the deployed layer hides the gradient (or moves at
 * random), and the adaptive view (BPDA / EOT) that each toy declares gives the attacker it back.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { classifierFor } from '../../../src-main/lab/defences/classifier'
import { createToyLayer, resizePlacementMatrix, randomResizeAndPad } from '../../../src-main/lab/defences/toys'
import { DefenceSchema } from '../../../src-main/api/defences'
import { images, sumOfLogit, tensor, tinyModel } from './fixtures'

beforeAll(async () => {
  await initEngine('cpu')
})

const shape: [number, number, number] = [8, 8, 1]
const maxAbs = (t: tf.Tensor) => tf.max(tf.abs(t)).dataSync()[0]

describe('the gradient-truncation toy (the seed study\'s "Gradient Mask Toy")', () => {
  it('leaves every prediction unchanged but gives an exactly zero input gradient', () => {
    const model = tinyModel('cnn-small')
    const plain = classifierFor(model, null)
    const toy = classifierFor(model, DefenceSchema.parse({ kind: 'gradient-truncation' }))
    const x = tensor(images(5, shape, 3), 5, shape)
    expect(maxAbs(tf.sub(toy.logits(x), plain.logits(x)))).toBe(0)
    expect(maxAbs(plain.gradient(x, sumOfLogit(0)))).toBeGreaterThan(0)
    expect(maxAbs(toy.gradient(x, sumOfLogit(0)))).toBe(0)
    expect(toy.nonDifferentiable).toBe(true)
    expect(toy.randomised).toBe(false)
  })

  it('scales the gradient by backwardScale, and BPDA (identity backward) restores the true gradient', () => {
    const model = tinyModel('cnn-small')
    const plain = classifierFor(model, null)
    const toy = classifierFor(model, DefenceSchema.parse({ kind: 'gradient-truncation', backwardScale: 0.25 }))
    const x = tensor(images(4, shape, 5), 4, shape)
    const truth = plain.gradient(x, sumOfLogit(1))
    expect(maxAbs(tf.sub(toy.gradient(x, sumOfLogit(1)), tf.mul(truth, 0.25)))).toBeLessThan(1e-6)
    const adaptive = toy.adaptive()
    expect(adaptive.nonDifferentiable).toBe(false)
    expect(maxAbs(tf.sub(adaptive.gradient(x, sumOfLogit(1)), truth))).toBeLessThan(1e-6)
  })
})

describe('the input-quantisation toy', () => {
  it('rounds every pixel to one of `levels` grey levels and has a zero plain gradient', () => {
    const layer = createToyLayer({ kind: 'quantisation', levels: 4 })
    const x = tensor(images(3, shape, 7), 3, shape)
    const q = layer.forward(x).dataSync()
    for (const v of q) expect([0, 1 / 3, 2 / 3, 1].some((l) => Math.abs(v - l) < 1e-6)).toBe(true)
    const model = tinyModel('cnn-small')
    const toy = classifierFor(model, { kind: 'quantisation', levels: 4 })
    expect(maxAbs(toy.gradient(x, sumOfLogit(2)))).toBe(0)
  })

  it('BPDA sees through it: the gradient of the model at the quantised input (straight-through)', () => {
    const model = tinyModel('cnn-small')
    const toy = classifierFor(model, { kind: 'quantisation', levels: 4 })
    const plain = classifierFor(model, null)
    const x = tensor(images(3, shape, 9), 3, shape)
    const atQuantised = plain.gradient(createToyLayer({ kind: 'quantisation', levels: 4 }).forward(x), sumOfLogit(0))
    expect(maxAbs(tf.sub(toy.adaptive().gradient(x, sumOfLogit(0)), atQuantised))).toBeLessThan(1e-6)
    expect(typeof (toy as { bpdaLogits?: unknown }).bpdaLogits).toBe('function')
  })
})

describe('the random resize-and-pad toy', () => {
  it('answers differently from call to call, keeps images in [0, 1] and declares itself randomised', () => {
    const model = tinyModel('cnn-small')
    const toy = classifierFor(model, { kind: 'random-resize', minScale: 0.5, noiseStd: 0.05 }, 4)
    const x = tensor(images(6, shape, 11), 6, shape)
    expect(maxAbs(tf.sub(toy.logits(x), toy.logits(x)))).toBeGreaterThan(1e-4)
    expect(toy.randomised).toBe(true)
    expect(toy.nonDifferentiable).toBe(false)
    const r = (() => {
      let s = 0
      return () => (s = (s * 9301 + 49297) % 233280) / 233280
    })()
    const out = randomResizeAndPad(x, 0.5, 0.2, r).dataSync()
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...out)).toBeLessThanOrEqual(1)
  })

  it('is the identity at scale 1 without noise, and its gradient exists (EOT can average it)', () => {
    expect(Array.from(resizePlacementMatrix(5, 5, 0, 5))).toEqual(Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)))
    const x = tensor(images(2, shape, 13), 2, shape)
    const same = randomResizeAndPad(x, 1, 0, () => 0.5)
    expect(maxAbs(tf.sub(same, x))).toBeLessThan(1e-6)
    const toy = classifierFor(tinyModel('cnn-small'), { kind: 'random-resize', minScale: 0.6, noiseStd: 0 }, 2)
    expect(maxAbs(toy.adaptive({ eotSamples: 4 }).gradient(x, sumOfLogit(0)))).toBeGreaterThan(0)
  })

  it('a shrunk image keeps its mass: bilinear rows of the placement matrix sum to one', () => {
    const m = resizePlacementMatrix(8, 5, 2, 8)
    for (let row = 0; row < 8; row++) {
      const sum = Array.from(m.subarray(row * 8, row * 8 + 8)).reduce((a, b) => a + b, 0)
      expect(sum).toBeCloseTo(row >= 2 && row < 7 ? 1 : 0, 6)
    }
  })
})
