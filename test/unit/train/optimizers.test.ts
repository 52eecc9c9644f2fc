/**
 * The optimizers follow PyTorch's update rules exactly; checked against the rules written out by
 * hand in float64 on a quadratic loss f(w) = ½‖w − t‖², whose gradient is w − t.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createOptimizer } from '../../../src-main/lab/train/optimizers'

beforeAll(async () => {
  await initEngine('cpu')
})

const target = [1, -2, 0.5]
const start = [0.3, 0.1, -0.4]

function runTf(config: Parameters<typeof createOptimizer>[0], steps: number, lr: number): number[] {
  const w = tf.variable(tf.tensor1d(start))
  const optimizer = createOptimizer(config, [w])
  for (let i = 0; i < steps; i++) {
    const grad = tf.tidy(() => tf.sub(w, tf.tensor1d(target)))
    optimizer.apply([grad], lr)
    grad.dispose()
  }
  const out = Array.from(w.dataSync())
  optimizer.dispose()
  w.dispose()
  return out
}

describe('SGD', () => {
  it('matches torch.optim.SGD with momentum, Nesterov and weight decay', () => {
    const [lr, mu, wd] = [0.1, 0.9, 0.01]
    for (const nesterov of [false, true]) {
      const w = [...start]
      const buf = [0, 0, 0]
      for (let step = 0; step < 5; step++) {
        for (let i = 0; i < 3; i++) {
          const g = w[i] - target[i] + wd * w[i]
          buf[i] = step === 0 ? g : mu * buf[i] + g
          w[i] -= lr * (nesterov ? g + mu * buf[i] : buf[i])
        }
      }
      const got = runTf({ kind: 'sgd', lr, momentum: mu, nesterov, weightDecay: wd }, 5, lr)
      got.forEach((v, i) => expect(v).toBeCloseTo(w[i], 5))
    }
  })
})

describe('Adam', () => {
  it('matches torch.optim.Adam with bias correction', () => {
    const [lr, b1, b2] = [0.01, 0.9, 0.999]
    const w = [...start]
    const m = [0, 0, 0]
    const v = [0, 0, 0]
    for (let t = 1; t <= 5; t++) {
      for (let i = 0; i < 3; i++) {
        const g = w[i] - target[i]
        m[i] = b1 * m[i] + (1 - b1) * g
        v[i] = b2 * v[i] + (1 - b2) * g * g
        w[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + 1e-8)
      }
    }
    const got = runTf({ kind: 'adam', lr, beta1: b1, beta2: b2, weightDecay: 0 }, 5, lr)
    got.forEach((x, i) => expect(x).toBeCloseTo(w[i], 5))
  })
})

describe('optimizer state', () => {
  it('survives a save/load: continuing after a reload gives the same weights as never stopping', () => {
    const config = { kind: 'sgd' as const, lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0 }
    const straight = runTf(config, 6, 0.1)
    const w = tf.variable(tf.tensor1d(start))
    let optimizer = createOptimizer(config, [w])
    const step = () => {
      const g = tf.tidy(() => tf.sub(w, tf.tensor1d(target)))
      optimizer.apply([g], 0.1)
      g.dispose()
    }
    for (let i = 0; i < 3; i++) step()
    const saved = new Map([...optimizer.state()].map(([k, t]) => [k, Float32Array.from(t.dataSync())]))
    optimizer.dispose()
    optimizer = createOptimizer(config, [w])
    optimizer.loadState(saved)
    for (let i = 0; i < 3; i++) step()
    Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(straight[i], 6))
    optimizer.dispose()
    w.dispose()
  })
})
