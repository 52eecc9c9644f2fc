import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { crossEntropy, distillationLoss } from '../../../src-main/lab/train/losses'

beforeAll(async () => {
  await initEngine('cpu')
})

const logits = [
  [2, 0.5, -1],
  [0.1, 0.2, 3]
]
const labels = [0, 1]

/** Reference in float64, written from the definitions. */
function logSoftmax(row: number[], t = 1): number[] {
  const z = row.map((v) => v / t)
  const m = Math.max(...z)
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0))
  return z.map((v) => v - lse)
}
const scalar = (t: tf.Scalar) => {
  const v = t.dataSync()[0]
  t.dispose()
  return v
}

describe('cross-entropy', () => {
  it('is the mean negative log-probability of the true class, at temperature T', () => {
    for (const T of [1, 20]) {
      const expected = -(logSoftmax(logits[0], T)[0] + logSoftmax(logits[1], T)[1]) / 2
      expect(scalar(crossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), { temperature: T }))).toBeCloseTo(expected, 5)
    }
  })

  it('with label smoothing s targets (1 − s)·onehot + s/K', () => {
    const s = 0.1
    const expected =
      logits
        .map((row, i) => {
          const lp = logSoftmax(row)
          return -lp.reduce((acc, v, k) => acc + ((k === labels[i] ? 1 - s : 0) + s / 3) * v, 0)
        })
        .reduce((a, b) => a + b) / 2
    expect(scalar(crossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), { labelSmoothing: s }))).toBeCloseTo(expected, 5)
  })
})

describe('the distillation loss α·KL(soft ‖ softmax(s/T)) + (1 − α)·CE(s/T, y)', () => {
  const teacher = [
    [1.5, 1, -2],
    [-1, 2, 2.5]
  ]
  const T = 4
  const soft = teacher.map((row) => logSoftmax(row, T).map(Math.exp))

  it('matches the formula written out', () => {
    const alpha = 0.7
    const kl = soft.map((p, i) => p.reduce((acc, pk, k) => acc + pk * (Math.log(pk) - logSoftmax(logits[i], T)[k]), 0)).reduce((a, b) => a + b) / 2
    const ce = -(logSoftmax(logits[0], T)[0] + logSoftmax(logits[1], T)[1]) / 2
    const got = scalar(distillationLoss(tf.tensor2d(logits), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), T, alpha))
    expect(got).toBeCloseTo(alpha * kl + (1 - alpha) * ce, 5)
  })

  it('has a zero soft term when the student equals the teacher', () => {
    const got = scalar(distillationLoss(tf.tensor2d(teacher), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), T, 1))
    expect(got).toBeCloseTo(0, 6)
  })
})
