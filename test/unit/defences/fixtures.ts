import * as tf from '@tensorflow/tfjs-core'
import { createModel } from '../../../src-main/lab/models/model'
import { seededUniform } from '../../../src-main/lab/models/random'

/** A tiny model of a built-in architecture with seeded random weights. */
export function tinyModel(arch: 'mlp' | 'cnn-small', seed = 1) {
  return arch === 'mlp'
    ? createModel({ arch: 'mlp', inputShape: [4, 4, 1], numClasses: 3, width: 0.05, seed })
    : createModel({ arch: 'cnn-small', inputShape: [8, 8, 1], numClasses: 3, width: 0.25, seed })
}

/** Seeded images in [0, 1]. */
export function images(n: number, shape: [number, number, number], seed: number): Float32Array {
  const r = seededUniform(seed)
  return Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, () => r())
}

export function tensor(values: Float32Array, n: number, shape: [number, number, number]): tf.Tensor4D {
  return tf.tensor4d(values, [n, ...shape])
}

export const sumOfLogit = (k: number) => (z: tf.Tensor2D) => tf.sum(tf.slice(z, [0, k], [-1, 1])) as tf.Scalar
