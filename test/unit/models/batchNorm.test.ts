import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { batchNormTrain, BN_EPS, type BatchNormState } from '../../../src-main/lab/models/layers'
import { seededUniform } from '../../../src-main/lab/models/random'

function rand(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const r = seededUniform(seed)
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * r()),
    shape
  )
}

function state(gamma: tf.Tensor, beta: tf.Tensor, c: number): BatchNormState {
  return {
    weight: gamma as tf.Tensor1D,
    bias: beta as tf.Tensor1D,
    runningMean: tf.variable(tf.zeros([c]), false),
    runningVar: tf.variable(tf.ones([c]), false),
    numBatchesTracked: tf.variable(tf.scalar(0), false)
  }
}

/** The textbook formula, differentiated by autodiff through its elementary ops. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, relu: boolean): tf.Tensor {
  const mean = tf.mean(x, [0, 1, 2])
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2])
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS))), gamma), beta)
  return relu ? tf.relu(y) : y
}

describe('BatchNorm training op', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  for (const relu of [false, true]) {
    it(`${relu ? 'with' : 'without'} ReLU: output and gradients for x, γ, β equal autodiff of the textbook formula`, () => {
      const x = rand([3, 5, 4, 6], 1, -2, 3)
      const gamma = rand([6], 2, 0.5, 1.5)
      const beta = rand([6], 3)
      const coeff = rand([3, 5, 4, 6], 4)
      const bn = state(gamma, beta, 6)
      const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(batchNormTrain(a as tf.Tensor4D, { ...bn, weight: g as tf.Tensor1D, bias: b as tf.Tensor1D }, relu), coeff))
      )([x, gamma, beta])
      const ref = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(reference(a, g, b, relu), coeff)))([x, gamma, beta])
      ours.forEach((g, i) => {
        const want = ref[i].dataSync()
        const got = g.dataSync()
        const scale = Math.max(...Array.from(want, Math.abs))
        want.forEach((v, j) => expect(Math.abs(got[j] - v) / scale).toBeLessThan(1e-4))
      })
      const yOurs = batchNormTrain(x as tf.Tensor4D, bn, relu).dataSync()
      const yRef = reference(x, gamma, beta, relu).dataSync()
      yRef.forEach((v, j) => expect(yOurs[j]).toBeCloseTo(v, 4))
    })
  }
})
