import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel, paramCount, type CreateModelOptions } from '../../../src-main/lab/models/model'
import { inputGradient, trainingGradients } from '../../../src-main/lab/models/gradient'
import { seededUniform } from '../../../src-main/lab/models/random'

function images(n: number, shape: [number, number, number], seed: number): tf.Tensor4D {
  const r = seededUniform(seed)
  return tf.tensor4d(Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, r), [n, ...shape])
}

const small: CreateModelOptions[] = [
  { arch: 'mlp', inputShape: [28, 28, 1], numClasses: 10, seed: 3 },
  { arch: 'cnn-small', inputShape: [28, 28, 1], numClasses: 10, seed: 3 },
  { arch: 'cnn-small', inputShape: [32, 32, 3], numClasses: 10, seed: 3, mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] },
  { arch: 'resnet18', inputShape: [16, 16, 3], numClasses: 10, width: 0.125, seed: 3, mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }
]

describe('models', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  it('resnet18 at width 1 for 10 classes has the 11,173,962 parameters of the PyTorch CIFAR ResNet-18', () => {
    expect(paramCount({ arch: 'resnet18', inputShape: [32, 32, 3], numClasses: 10 })).toBe(11_173_962)
  })

  it('resnet18 lists its tensors in PyTorch state_dict order and naming', () => {
    const m = createModel({ arch: 'resnet18', inputShape: [32, 32, 3], numClasses: 10, width: 0.125 })
    const names = m.tensors.map((t) => t.name)
    expect(names.slice(0, 7)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'bn1.num_batches_tracked',
      'layer1.0.conv1.weight'
    ])
    expect(names).toContain('layer2.0.shortcut.0.weight')
    expect(names).toContain('layer2.0.shortcut.1.running_var')
    expect(names).not.toContain('layer1.0.shortcut.0.weight')
    expect(names.slice(-2)).toEqual(['linear.weight', 'linear.bias'])
    m.dispose()
  })

  for (const opts of small) {
    const label = `${opts.arch} ${opts.inputShape.join('×')}`
    it(`${label}: the same seed gives the same weights and logits; another seed does not`, () => {
      const a = createModel(opts)
      const b = createModel(opts)
      const c = createModel({ ...opts, seed: 4 })
      const x = images(3, opts.inputShape, 9)
      const [la, lb, lc] = [a, b, c].map((m) => m.forward(x).dataSync())
      expect(Array.from(la)).toEqual(Array.from(lb))
      expect(Array.from(la)).not.toEqual(Array.from(lc))
      expect(la.length).toBe(3 * 10)
      ;[a, b, c].forEach((m) => m.dispose())
      x.dispose()
    })

    it(`${label}: its input gradient matches the cpu backend, and it trains (loss falls on a fixed batch)`, () => {
      const m = createModel(opts)
      const x = images(8, opts.inputShape, 5)
      const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32')
      // Input gradient first: once trained, a max-pool window can hold near-equal values whose
      // winner differs between backends that round differently — a legitimate, local disagreement.
      const wasm = inputGradient(m, x, y)
      const gWasm = wasm.grad.dataSync()
      tf.setBackend('cpu')
      const cpu = inputGradient(m, x, y)
      const gCpu = cpu.grad.dataSync()
      tf.setBackend('wasm')
      let diff = 0
      let scale = 0
      gCpu.forEach((v, i) => {
        diff = Math.max(diff, Math.abs(v - gWasm[i]))
        scale = Math.max(scale, Math.abs(v))
      })
      expect(diff / scale).toBeLessThan(1e-4)
      const losses: number[] = []
      for (let step = 0; step < 8; step++) {
        const { loss, grads, logits } = trainingGradients(m, x, y)
        losses.push(loss.dataSync()[0])
        tf.tidy(() => {
          for (const p of m.params) p.tensor.assign(tf.sub(p.tensor, tf.mul(grads[p.name], 0.05)))
        })
        tf.dispose([loss, logits, ...Object.values(grads)])
      }
      expect(losses[losses.length - 1]).toBeLessThan(losses[0])

      tf.dispose([wasm.grad, wasm.loss, wasm.logits, cpu.grad, cpu.loss, cpu.logits, x, y])
      m.dispose()
    })
  }

  it('BatchNorm in training updates running statistics like PyTorch (momentum 0.1, unbiased variance)', () => {
    const m = createModel(small[3])
    const x = images(4, [16, 16, 3], 8)
    const y = tf.tensor1d([1, 2, 3, 4], 'int32')
    // The stem conv's output statistics, computed independently of the model's BatchNorm code.
    const [mean, varUnbiased] = tf.tidy(() => {
      const normed = tf.div(tf.sub(x, tf.tensor1d(m.spec.mean)), tf.tensor1d(m.spec.std))
      const h = tf.conv2d(normed as tf.Tensor4D, m.get('conv1.weight') as tf.Tensor as tf.Tensor4D, 1, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0]
      ])
      const { mean, variance } = tf.moments(h, [0, 1, 2])
      const n = h.shape[0] * h.shape[1] * h.shape[2]
      return [mean.dataSync(), tf.mul(variance, n / (n - 1)).dataSync()]
    })
    const r = trainingGradients(m, x, y)
    tf.dispose([r.loss, r.logits, ...Object.values(r.grads)])
    const rm = m.get('bn1.running_mean').dataSync()
    const rv = m.get('bn1.running_var').dataSync()
    mean.forEach((v, i) => expect(rm[i]).toBeCloseTo(0.1 * v, 5))
    varUnbiased.forEach((v, i) => expect(rv[i]).toBeCloseTo(0.9 + 0.1 * v, 4))
    expect(m.get('bn1.num_batches_tracked').dataSync()[0]).toBe(1)
    tf.dispose([x, y])
    m.dispose()
  })
})
