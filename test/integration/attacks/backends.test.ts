import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { attacks } from '../../../src-main/lab/attacks/index'
import { rng } from '../../../src-main/lab/attacks/base'
import type { Norm } from '../../../src-main/lab/attacks/types'
import { settingsFor } from '../../unit/attacks/fixtures'

/**
 * The same attack, seed and tiny model on the cpu backend (plain JS, the numerical reference) and
 * on wasm (with the engine's own conv gradient kernels) must give the same adversarial predictions.
 * Weights and every random number are drawn on the host, so only float rounding differs; a
 * gradient component within rounding of 0 may take a different sign, so images are compared by
 * the share of pixels that agree, predictions exactly.
 */
const N = 8
const small = { steps: 5, targets: 2, queries: 40, binarySteps: 2, restarts: 1 }

interface Outcome {
  predictions: Int32Array
  pixels: Float32Array
}

async function runOn(backend: 'cpu' | 'wasm', id: string, norm: Norm, eps: number): Promise<Outcome> {
  await tf.setBackend(backend)
  expect(tf.getBackend()).toBe(backend)
  const model = createModel({ arch: 'cnn-small', inputShape: [8, 8, 1], numClasses: 4, width: 0.25, seed: 21 })
  const classifier = classifierFromModel(model)
  const r = rng(5)
  const x = tf.tensor4d(
    Float32Array.from({ length: N * 64 }, () => r()),
    [N, 8, 8, 1]
  )
  const y = tf.tensor1d(
    Int32Array.from({ length: N }, (_, i) => i % 4),
    'int32'
  )
  const result = await attacks[id].run(classifier, x, y, { norm, epsilon: eps, seed: 11, ...settingsFor(id, small) })
  const predictions = Int32Array.from(tf.tidy(() => tf.argMax(classifier.logits(result.adversarial), 1)).dataSync())
  const pixels = Float32Array.from(result.adversarial.dataSync())
  tf.dispose([x, y, result.adversarial])
  model.dispose()
  return { predictions, pixels }
}

beforeAll(async () => {
  await initEngine('wasm')
})

describe('cpu and wasm backends agree', () => {
  const cases: Array<[string, Norm, number]> = [
    ['fgsm', 'Linf', 0.1],
    ['rfgsm', 'Linf', 0.1],
    ['fgsm-rs', 'L2', 0.5],
    ['pgd', 'Linf', 0.1],
    ['bim', 'L2', 0.5],
    ['apgd-ce', 'Linf', 0.1],
    ['apgd-dlr', 'Linf', 0.1],
    ['apgd-t', 'L2', 0.5],
    ['fab-t', 'Linf', 0.1],
    ['square', 'Linf', 0.1],
    ['cw-l2', 'L2', 1],
    ['autoattack-fast', 'Linf', 0.1]
  ]
  it.each(cases)('%s (%s, ε = %s) gives the same adversarial predictions with the same seed', async (id, norm, eps) => {
    const cpu = await runOn('cpu', id, norm, eps)
    const wasm = await runOn('wasm', id, norm, eps)
    expect(Array.from(wasm.predictions)).toEqual(Array.from(cpu.predictions))
    let close = 0
    for (let i = 0; i < cpu.pixels.length; i++) if (Math.abs(cpu.pixels[i] - wasm.pixels[i]) <= 1e-4) close++
    expect(close / cpu.pixels.length).toBeGreaterThanOrEqual(0.98)
  })
})
