/**
 * The op gradients the engine registers itself (engine/gradients.ts) against central finite
 * differences, on wasm: shape ops (ExpandDims names its input "input", not "x"), reductions,
 * max-style selections and list ops.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { seededUniform } from '../../../src-main/lab/models/random'

/** max |analytic − numeric| / max(1, max |numeric|) over every element of x. */
function gradientError(f: (x: tf.Tensor) => tf.Scalar, shape: number[], seed: number): number {
  const r = seededUniform(seed)
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1)
  const analytic = tf.tidy(() => tf.grad(f)(tf.tensor(values, shape)).dataSync())
  const h = 1e-2
  let worst = 0
  let scale = 1
  const numeric = values.map((_, i) => {
    const at = (delta: number) => {
      const v = Float32Array.from(values)
      v[i] += delta
      return tf.tidy(() => f(tf.tensor(v, shape)).dataSync()[0])
    }
    return (at(h) - at(-h)) / (2 * h)
  })
  numeric.forEach((n, i) => {
    scale = Math.max(scale, Math.abs(n))
    worst = Math.max(worst, Math.abs(analytic[i] - n))
  })
  return worst / scale
}

const weights = (shape: number[]) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + 1)),
    shape
  )

const cases: [string, (x: tf.Tensor) => tf.Scalar, number[]][] = [
  ['ExpandDims', (x) => tf.sum(tf.mul(tf.expandDims(x, 1), weights([3, 1, 4]))), [3, 4]],
  ['Reshape', (x) => tf.sum(tf.mul(tf.reshape(x, [4, 3]), weights([4, 3]))), [3, 4]],
  ['Transpose', (x) => tf.sum(tf.mul(tf.transpose(x), weights([4, 3]))), [3, 4]],
  ['Mean over an axis', (x) => tf.sum(tf.square(tf.mean(x, 1))), [3, 4]],
  ['Max over an axis', (x) => tf.sum(tf.mul(tf.max(x, 1), weights([3]))), [3, 4]],
  ['Concat', (x) => tf.sum(tf.mul(tf.concat([x, tf.square(x)], 1), weights([3, 8]))), [3, 4]],
  ['LogSoftmax', (x) => tf.sum(tf.mul(tf.logSoftmax(x), weights([3, 4]))), [3, 4]],
  ['Slice', (x) => tf.sum(tf.mul(tf.slice(x, [1, 1], [2, 2]), weights([2, 2]))), [3, 4]]
]

describe('registered op gradients on wasm', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  cases.forEach(([name, f, shape], k) => {
    it(`${name}: matches central differences`, () => {
      expect(gradientError(f, shape, 100 + k)).toBeLessThan(1e-2)
    })
  })
})
