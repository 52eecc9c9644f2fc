import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { attacks } from '../../../src-main/lab/attacks/index'
import { rng } from '../../../src-main/lab/attacks/base'
import type { Norm } from '../../../src-main/lab/attacks/types'
import { maxDistance, settingsFor } from './fixtures'
import { attackDeclaration } from '../../../src-main/api/attacks'

/**
 * The promise every attack makes (types.ts): its output lies inside the ε-ball around x and inside
 * [0, 1]. Checked over random models (mlp and cnn-small, random weights), random inputs that include
 * pixels exactly at 0 and 1 (where clipping matters), several ε and both norms, with small budgets.
 * Distances are computed on the host in float64; 1e-6 allows for float32 rounding of x + δ.
 */
const small = { steps: 3, restarts: 1, targets: 2, queries: 30, binarySteps: 2 }

function randomImages(n: number, seed: number): tf.Tensor4D {
  const r = rng(seed)
  const v = Float32Array.from({ length: n * 8 * 8 * 1 }, () => {
    const u = r()
    return u < 0.2 ? 0 : u > 0.8 ? 1 : r()
  })
  return tf.tensor4d(v, [n, 8, 8, 1])
}

beforeAll(async () => {
  await initEngine('wasm')
})

describe('every attack stays in the ε-ball and in [0, 1]', () => {
  const cases: Array<{ arch: 'mlp' | 'cnn-small'; seed: number; norm: Norm; eps: number }> = [
    { arch: 'mlp', seed: 1, norm: 'Linf', eps: 8 / 255 },
    { arch: 'cnn-small', seed: 2, norm: 'Linf', eps: 0.3 },
    { arch: 'mlp', seed: 3, norm: 'L2', eps: 0.5 },
    { arch: 'cnn-small', seed: 4, norm: 'L2', eps: 2 }
  ]
  for (const c of cases) {
    it(`on a random ${c.arch} (seed ${c.seed}) at ${c.norm} ε = ${c.eps.toFixed(4)}`, async () => {
      const model = createModel({ arch: c.arch, inputShape: [8, 8, 1], numClasses: 4, width: 0.25, seed: c.seed })
      const classifier = classifierFromModel(model)
      const x = randomImages(12, c.seed)
      // Random labels: some points start misclassified, as in real data.
      const y = tf.tensor1d(
        Int32Array.from({ length: 12 }, (_, i) => (i * 7 + c.seed) % 4),
        'int32'
      )
      // Warm-up: the model builds its inference caches (folded convs) on first use; they are its own.
      ;(await attacks.fgsm.run(classifier, x, y, { norm: c.norm, epsilon: c.eps, seed: 0 })).adversarial.dispose()
      for (const attack of Object.values(attacks)) {
        // The full-budget ensembles (fixed budgets by design) are checked in autoattack.test.ts.
        if (!attack.norms.includes(c.norm) || attack.id === 'autoattack' || attack.id === 'autoattack-rand') continue
        // Spatial attacks move pixels instead (no ε-ball holds them): [0, 1] is checked in spatial.test.ts.
        if (attackDeclaration(attack.id).perturbation === 'spatial') continue
        const before = tf.memory().numTensors
        const result = await attack.run(classifier, x, y, { norm: c.norm, epsilon: c.eps, seed: c.seed, ...settingsFor(attack.id, small) })
        const values = result.adversarial.dataSync()
        expect(Math.min(...values), `${attack.id} min`).toBeGreaterThanOrEqual(0)
        expect(Math.max(...values), `${attack.id} max`).toBeLessThanOrEqual(1)
        expect(maxDistance(result.adversarial, x, c.norm), `${attack.id} distance`).toBeLessThanOrEqual(c.eps + 1e-6)
        expect(result.adversarial.shape).toEqual(x.shape)
        result.adversarial.dispose()
        // And leaves no tensor behind.
        expect(tf.memory().numTensors, `${attack.id} tensors`).toBe(before)
      }
      tf.dispose([x, y])
      model.dispose()
    })
  }
})
