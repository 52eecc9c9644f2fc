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

describe("the seed write-up's distillation loss α·KL(soft ‖ softmax(s/T)) + (1 − α)·CE(s/T, y)", () => {
  const teacher = [
    [1.5, 1, -2],
    [-1, 2, 2.5]
  ]
  const T = 4
  const soft = teacher.map((row) => logSoftmax(row, T).map(Math.exp))
  const seed = (alpha: number) => ({ temperature: T, alpha, loss: 'seed' as const })

  it('matches the formula written out', () => {
    const alpha = 0.7
    const kl =
      soft.map((p, i) => p.reduce((acc, pk, k) => acc + pk * (Math.log(pk) - logSoftmax(logits[i], T)[k]), 0)).reduce((a, b) => a + b) / 2
    const ce = -(logSoftmax(logits[0], T)[0] + logSoftmax(logits[1], T)[1]) / 2
    const got = scalar(distillationLoss(tf.tensor2d(logits), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), seed(alpha)))
    expect(got).toBeCloseTo(alpha * kl + (1 - alpha) * ce, 5)
  })

  it('has a zero soft term when the student equals the teacher', () => {
    const got = scalar(distillationLoss(tf.tensor2d(teacher), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), seed(1)))
    expect(got).toBeCloseTo(0, 6)
  })
})

describe('the default distillation loss T · (α·KL(soft ‖ softmax(s/T)) + (1 − α)·CE(s/T, y))', () => {
  const teacher = [
    [1.5, 1, -2],
    [-1, 2, 2.5]
  ]

  it('is the seed loss times T', () => {
    const T = 20
    const soft = teacher.map((row) => logSoftmax(row, T).map(Math.exp))
    const args = [tf.tensor2d(logits), tf.tensor2d(soft), tf.tensor1d(labels, 'int32')] as const
    const seed = scalar(distillationLoss(...args, { temperature: T, alpha: 0.7, loss: 'seed' }))
    expect(scalar(distillationLoss(...args, { temperature: T, alpha: 0.7, loss: 'seed-times-t' }))).toBeCloseTo(T * seed, 4)
  })

  /**
   * The hard term's gradient with respect to a logit is softmax(z/T) − onehot(y): the form and the
   * scale of ordinary cross-entropy's, whatever T, where the seed loss's is that divided by T. So
   * the student takes steps of the ordinary size at the ordinary learning rate.
   */
  it('has hard-label gradients of the ordinary scale at T = 20, checked by central differences', () => {
    const T = 20
    const z = [30, -10, 5] // logits of a student trained at T are of the order of T
    const loss = (row: number[]) =>
      scalar(
        distillationLoss(tf.tensor2d([row]), tf.tensor2d([[1, 0, 0]]), tf.tensor1d([1], 'int32'), {
          temperature: T,
          alpha: 0,
          loss: 'seed-times-t'
        })
      )
    const h = 0.1
    const q = logSoftmax(z, T).map(Math.exp)
    z.forEach((_, k) => {
      const up = z.map((x, j) => (j === k ? x + h : x))
      const down = z.map((x, j) => (j === k ? x - h : x))
      expect((loss(up) - loss(down)) / (2 * h)).toBeCloseTo(q[k] - (k === 1 ? 1 : 0), 2)
    })
  })
})

describe("Hinton et al.'s distillation loss α·T²·KL(soft ‖ softmax(s/T)) + (1 − α)·CE(s, y)", () => {
  const teacher = [
    [1.5, 1, -2],
    [-1, 2, 2.5]
  ]

  it('matches the formula written out: the soft term times T², the hard term at T = 1', () => {
    const T = 4
    const alpha = 0.7
    const soft = teacher.map((row) => logSoftmax(row, T).map(Math.exp))
    const kl =
      soft.map((p, i) => p.reduce((acc, pk, k) => acc + pk * (Math.log(pk) - logSoftmax(logits[i], T)[k]), 0)).reduce((a, b) => a + b) / 2
    const ce = -(logSoftmax(logits[0])[0] + logSoftmax(logits[1])[1]) / 2
    const got = scalar(
      distillationLoss(tf.tensor2d(logits), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), { temperature: T, alpha, loss: 'hinton-t2' })
    )
    expect(got).toBeCloseTo(alpha * T * T * kl + (1 - alpha) * ce, 4)
  })

  /**
   * Hinton, Vinyals & Dean (2015, §2.1): for large T the soft term's gradient with respect to a
   * student logit is (1/T)(q − p) ≈ (z − v)/(N·T²) for zero-mean logits z (student) and v
   * (teacher) over N classes. Multiplied by T², it tends to (z − v)/N whatever T — the scale of the
   * hard-label gradient softmax(z) − onehot(y), which does not depend on T either. The seed loss's
   * soft gradient is T² times smaller, so it vanishes at T = 20 and a student on it barely moves.
   */
  it('keeps the soft gradient at the hard-label gradient’s scale for large T, checked by central differences', () => {
    const z = [0.6, -0.2, -0.4] // student logits, zero mean
    const v = [-0.3, 0.9, -0.6] // teacher logits, zero mean
    const N = 3
    const softGradient = (T: number, form: 'hinton-t2' | 'seed') => {
      const p = [logSoftmax(v, T).map(Math.exp)]
      const loss = (row: number[]) =>
        scalar(distillationLoss(tf.tensor2d([row]), tf.tensor2d(p), tf.tensor1d([0], 'int32'), { temperature: T, alpha: 1, loss: form }))
      // A wide step: the loss is smooth, and float32 rounding of T²·KL would swamp a narrow one.
      const h = 0.1
      return z.map((_, k) => {
        const up = z.map((x, j) => (j === k ? x + h : x))
        const down = z.map((x, j) => (j === k ? x - h : x))
        return (loss(up) - loss(down)) / (2 * h)
      })
    }
    for (const T of [20, 50]) {
      const g = softGradient(T, 'hinton-t2')
      // Exactly T·(softmax(z/T) − softmax(v/T)) (the KL's gradient (q − p)/T, times T²)…
      const q = logSoftmax(z, T).map(Math.exp)
      const p = logSoftmax(v, T).map(Math.exp)
      g.forEach((gk, k) => expect(gk).toBeCloseTo(T * (q[k] - p[k]), 2))
      // …which tends to (z − v)/N, to within the O(1/T) of the approximation.
      g.forEach((gk, k) => expect(gk).toBeCloseTo((z[k] - v[k]) / N, 1))
      // The seed loss's soft gradient is that divided by T².
      softGradient(T, 'seed').forEach((gk, k) => expect(gk * T * T).toBeCloseTo(g[k], 1))
    }
    // The hard-label gradient softmax(z) − onehot(y) is of the same order: its entries here lie in (−1, 1),
    // and the scaled soft gradient's are neither vanishing nor exploding against it.
    const hard = logSoftmax(z).map((lp, k) => Math.exp(lp) - (k === 0 ? 1 : 0))
    const ratio = Math.hypot(...softGradient(20, 'hinton-t2')) / Math.hypot(...hard)
    expect(ratio).toBeGreaterThan(0.3)
    expect(ratio).toBeLessThan(3)
  })

  it('has a zero soft term when the student equals the teacher', () => {
    const T = 20
    const soft = teacher.map((row) => logSoftmax(row, T).map(Math.exp))
    const got = scalar(
      distillationLoss(tf.tensor2d(teacher), tf.tensor2d(soft), tf.tensor1d(labels, 'int32'), {
        temperature: T,
        alpha: 1,
        loss: 'hinton-t2'
      })
    )
    expect(got).toBeCloseTo(0, 3)
  })
})
