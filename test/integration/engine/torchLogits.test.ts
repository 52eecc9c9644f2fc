/**
 * The same weights give the same logits — and, in training mode, the same loss, gradients and
 * BatchNorm statistics — here and in PyTorch (bench/reference/models.py).
 * Needs /usr/bin/python3 with torch; skipped with the reason otherwise.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel, type CreateModelOptions } from '../../../src-main/lab/models/model'
import { exportStateDict, toTorchLayout } from '../../../src-main/lab/models/stateDict'
import { f32Bytes, readSafetensors, toFloat32, writeSafetensors } from '../../../src-main/lab/models/safetensors'
import { inputGradient, trainingGradients } from '../../../src-main/lab/models/gradient'
import { PYTHON, torchUnavailable } from '../../support/torch'

const torchMissing = torchUnavailable()
if (torchMissing) console.warn(`skipping PyTorch logit comparison: ${torchMissing}`)

const script = path.resolve(__dirname, '../../../bench/reference/logits.py')
const cifar = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] }
const cases: CreateModelOptions[] = [
  { arch: 'mlp', inputShape: [28, 28, 1], numClasses: 10, seed: 5, mean: [0.1307], std: [0.3081] },
  { arch: 'mlp', inputShape: [8, 8, 3], numClasses: 10, seed: 5, ...cifar },
  { arch: 'cnn-small', inputShape: [28, 28, 1], numClasses: 10, seed: 5, mean: [0.1307], std: [0.3081] },
  { arch: 'cnn-small', inputShape: [32, 32, 3], numClasses: 10, seed: 5, ...cifar },
  { arch: 'resnet18', inputShape: [32, 32, 3], numClasses: 10, seed: 5, width: 0.25, ...cifar },
  { arch: 'resnet18', inputShape: [32, 32, 3], numClasses: 10, seed: 5, width: 1, ...cifar }
]

describe.skipIf(torchMissing !== null)('logits equal PyTorch on the same weights', () => {
  let dir = ''
  beforeAll(async () => {
    await initEngine('wasm')
    dir = mkdtempSync(path.join(tmpdir(), 'advlab-torch-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const opts of cases) {
    it(`${opts.arch} ${opts.inputShape.join('×')} width ${opts.width ?? 1}: max |Δlogit| < 1e-4`, () => {
      const m = createModel(opts)
      const x = tf.randomUniform([4, ...opts.inputShape], 0, 1, 'float32', 7) as tf.Tensor4D
      const y = tf.tensor1d([0, 1, 2, 3], 'int32')
      // A few training steps first, so BatchNorm statistics and weights are not at their init.
      for (let i = 0; i < 2; i++) {
        const g = trainingGradients(m, x, y)
        tf.tidy(() => m.params.forEach((p) => p.tensor.assign(tf.sub(p.tensor, tf.mul(g.grads[p.name], 0.01)))))
        tf.dispose([g.loss, g.logits, ...Object.values(g.grads)])
      }
      const weights = path.join(dir, 'w.safetensors')
      const inputs = path.join(dir, 'x.safetensors')
      writeFileSync(weights, exportStateDict(m))
      writeFileSync(inputs, writeSafetensors([['x', { dtype: 'F32', shape: x.shape, data: f32Bytes(x.dataSync() as Float32Array) }]]))
      const out = JSON.parse(execFileSync(PYTHON, [script, weights, inputs], { encoding: 'utf8', maxBuffer: 1 << 26 }))
      const ours = m.forward(x).dataSync()
      expect(out.shape).toEqual([4, 10])
      let maxDiff = 0
      ours.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - out.values[i]))))
      expect(maxDiff).toBeLessThan(1e-4)
      // The attack path (folded BatchNorm, custom input gradient) computes the same logits.
      const ig = inputGradient(m, x, y)
      const viaAttack = ig.logits.dataSync()
      viaAttack.forEach((v, i) => expect(Math.abs(v - out.values[i])).toBeLessThan(1e-4))
      tf.dispose([x, y, ig.grad, ig.loss, ig.logits])
      m.dispose()
    })
  }
})

describe.skipIf(torchMissing !== null)('training gradients equal PyTorch on the same weights and batch', () => {
  let dir = ''
  beforeAll(async () => {
    await initEngine('wasm')
    dir = mkdtempSync(path.join(tmpdir(), 'advlab-torch-grads-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const gradCases: CreateModelOptions[] = [
    { arch: 'mlp', inputShape: [12, 12, 3], numClasses: 10, seed: 8, ...cifar },
    { arch: 'cnn-small', inputShape: [28, 28, 1], numClasses: 10, seed: 8, mean: [0.1307], std: [0.3081] },
    { arch: 'cnn-small', inputShape: [32, 32, 3], numClasses: 10, seed: 8, width: 0.5, ...cifar },
    { arch: 'resnet18', inputShape: [32, 32, 3], numClasses: 10, seed: 8, width: 0.25, ...cifar }
  ]
  for (const opts of gradCases) {
    it(`${opts.arch} ${opts.inputShape.join('×')}: loss, every parameter gradient (rel. < 1e-4) and BatchNorm running statistics`, () => {
      const m = createModel(opts)
      const x = tf.randomUniform([6, ...opts.inputShape], 0, 1, 'float32', 3) as tf.Tensor4D
      const labels = [3, 1, 4, 1, 5, 9]
      const weights = path.join(dir, 'w.safetensors')
      const batch = path.join(dir, 'b.safetensors')
      const out = path.join(dir, 'g.safetensors')
      writeFileSync(weights, exportStateDict(m))
      writeFileSync(
        batch,
        writeSafetensors([
          ['x', { dtype: 'F32', shape: x.shape, data: f32Bytes(x.dataSync() as Float32Array) }],
          ['y', { dtype: 'I64', shape: [labels.length], data: new Uint8Array(BigInt64Array.from(labels, BigInt).buffer) }]
        ])
      )
      execFileSync(PYTHON, [path.resolve(__dirname, '../../../bench/reference/grads.py'), weights, batch, out])
      const theirs = readSafetensors(new Uint8Array(readFileSync(out))).tensors
      const y = tf.tensor1d(labels, 'int32')
      const g = trainingGradients(m, x, y)
      expect(g.loss.dataSync()[0]).toBeCloseTo(toFloat32(theirs.get('loss')!, 'loss')[0], 4)
      for (const p of m.params) {
        const [, ours] = toTorchLayout(p.def, g.grads[p.name].dataSync() as Float32Array)
        const ref = toFloat32(theirs.get(`grad.${p.name}`)!, p.name)
        let diff = 0
        let scale = 1e-8
        ref.forEach((v, i) => {
          diff = Math.max(diff, Math.abs(v - ours[i]))
          scale = Math.max(scale, Math.abs(v))
        })
        expect(diff / scale, p.name).toBeLessThan(1e-4)
      }
      for (const b of m.buffers) {
        if (b.name.endsWith('num_batches_tracked')) continue
        const ref = toFloat32(theirs.get(`buffer.${b.name}`)!, b.name)
        const ours = b.tensor.dataSync()
        ref.forEach((v, i) => expect(Math.abs(v - ours[i]), b.name).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))))
      }
      tf.dispose([x, y, g.loss, g.logits, ...Object.values(g.grads)])
      m.dispose()
    })
  }
})
