/**
 * MaxPool's gradient on wasm (our kernel, engine/poolGradients.ts) equals the cpu backend's
 * exactly: each window's gradient goes to its first maximum, also for windows whose maximum is
 * negative (which the wasm backend's own kernel drops) and for windows with tied values.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { seededUniform } from '../../../src-main/lab/models/random'

type Pool = { shape: [number, number, number, number]; filter: number; stride: number; pad: 'valid' | 'same' }

const cases: Pool[] = [
  { shape: [2, 8, 8, 5], filter: 2, stride: 2, pad: 'valid' },
  { shape: [3, 7, 9, 4], filter: 2, stride: 2, pad: 'valid' },
  { shape: [2, 9, 7, 3], filter: 2, stride: 2, pad: 'same' },
  { shape: [1, 6, 6, 2], filter: 3, stride: 1, pad: 'same' },
  { shape: [2, 11, 11, 3], filter: 3, stride: 2, pad: 'valid' },
  { shape: [1, 5, 5, 1], filter: 3, stride: 2, pad: 'same' }
]

function gradientOn(backend: string, values: Float32Array, p: Pool): Float32Array {
  tf.setBackend(backend)
  return tf.tidy(() => {
    const x = tf.tensor4d(values, p.shape)
    const dy = tf.add(tf.range(0, tf.maxPool(x, p.filter, p.stride, p.pad).size), 1)
    const g = tf.grad((input: tf.Tensor) =>
      tf.sum(
        tf.mul(tf.maxPool(input as tf.Tensor4D, p.filter, p.stride, p.pad), tf.reshape(dy, tf.maxPool(x, p.filter, p.stride, p.pad).shape))
      )
    )(x)
    return g.dataSync() as Float32Array
  })
}

describe('MaxPool gradient on wasm', () => {
  beforeAll(async () => {
    await initEngine('wasm')
    await tf.ready()
  })

  for (const p of cases) {
    const name = `${p.shape.join('×')} window ${p.filter} stride ${p.stride} ${p.pad}`
    it(`${name}: equals the cpu backend with negative maxima and ties`, () => {
      const r = seededUniform(p.shape.reduce((a, b) => a * b))
      // Values in {−1, −0.75, …, 1}: many windows are all negative, many hold ties.
      const values = Float32Array.from({ length: p.shape.reduce((a, b) => a * b) }, () => Math.round((r() * 2 - 1) * 4) / 4)
      const wasm = gradientOn('wasm', values, p)
      const cpu = gradientOn('cpu', values, p)
      tf.setBackend('wasm')
      expect(Array.from(wasm)).toEqual(Array.from(cpu))
    })
  }
})
