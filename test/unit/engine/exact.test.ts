/**
 * The primitives attacks step with are exact on every backend (engine/exact.ts): the sign of any
 * non-zero float32 — down to subnormals — is ±1, and a tiny gradient still normalises to a unit
 * vector. wasm's own Sign kernel returned 0 below ~1.19e-7; it is replaced, so tf.sign is exact too.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { exactSign, unitL2 } from '../../../src-main/lab/engine/exact'

const values = [1e-7, -1e-7, 1.2e-7, 1e-9, 1e-20, -1e-30, 1e-40, -1e-40, 0, 3, -2.5]
const signs = [1, -1, 1, 1, 1, -1, 1, -1, 0, 1, -1]

describe.each(['wasm', 'cpu'])('exact primitives on %s', (backend) => {
  beforeAll(async () => {
    await initEngine('wasm')
    await tf.setBackend(backend)
  })

  it('exactSign is ±1 for every non-zero value, subnormals included, and 0 at 0', () => {
    expect(Array.from(exactSign(tf.tensor1d(values)).dataSync())).toEqual(signs)
  })

  it("the backend's tf.sign agrees (wasm's thresholded kernel is replaced)", () => {
    expect(Array.from(tf.sign(tf.tensor1d(values)).dataSync())).toEqual(signs)
  })

  it('the gradient of abs at tiny values is ±1, not 0', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.abs(x)))(tf.tensor1d([1e-8, -1e-8, 1e-38]))
    expect(Array.from(g.dataSync())).toEqual([1, -1, 1])
  })

  it('unitL2 turns a gradient of components ~1e-25 into a unit vector with the right direction', () => {
    const raw = [3e-25, -4e-25, 0, 1e-30, 0, 0, 0, 0] // two samples of 4
    const u = unitL2(tf.tensor2d(raw, [2, 4])).dataSync()
    const first = Math.hypot(3, 4, 0, 1e-5)
    expect(u[0]).toBeCloseTo(3 / first, 6)
    expect(u[1]).toBeCloseTo(-4 / first, 6)
    expect(u[3]).toBeGreaterThan(0)
    // A zero sample stays zero (no NaN from 0/0).
    expect(Array.from(u.slice(4))).toEqual([0, 0, 0, 0])
  })
})
