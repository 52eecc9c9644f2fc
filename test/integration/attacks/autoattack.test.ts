import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { autoAttack, autoAttackRand } from '../../../src-main/lab/attacks/autoattack'
import { rng } from '../../../src-main/lab/attacks/base'
import { maxDistance } from '../../unit/attacks/fixtures'

beforeAll(async () => {
  await initEngine('wasm')
})

function setup(seed: number) {
  const model = createModel({ arch: 'mlp', inputShape: [6, 6, 1], numClasses: 4, width: 0.1, seed })
  const classifier = classifierFromModel(model)
  const r = rng(seed)
  const x = tf.tensor4d(
    Float32Array.from({ length: 6 * 36 }, () => r()),
    [6, 6, 6, 1]
  )
  // Labels = clean predictions: every point starts robust, so every stage runs.
  const y = tf.tidy(() => tf.cast(tf.argMax(classifier.logits(x), 1), 'int32')) as tf.Tensor1D
  return { model, classifier, x, y }
}

describe('AutoAttack', () => {
  it('runs the full standard ensemble without leaking a tensor, records each stage and its budget, and stays in the ε-ball', async () => {
    const { model, classifier, x, y } = setup(5)
    // A tiny ε: nothing breaks, so APGD-CE, APGD-T, FAB-T and Square all run their whole budget.
    const eps = 1e-3
    ;(await autoAttack.run(classifier, x, y, { norm: 'Linf', epsilon: 0, seed: 0, version: 'fast' })).adversarial.dispose() // model caches
    const before = tf.memory().numTensors
    const result = await autoAttack.run(classifier, x, y, { norm: 'Linf', epsilon: eps, seed: 1 })
    expect(result.stages!.map((s) => s.id)).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square'])
    expect(result.stages![0].budget).toMatchObject({ steps: 100, restarts: 1 })
    expect(result.stages![1].budget).toMatchObject({ steps: 100, targets: 3 }) // 9 capped by 4 classes − 1
    expect(result.stages![3].budget).toMatchObject({ queries: 5000 })
    for (const s of result.stages!) expect(s.robustAfter).toBeLessThanOrEqual(s.robustBefore)
    expect(maxDistance(result.adversarial, x, 'Linf')).toBeLessThanOrEqual(eps + 1e-6)
    result.adversarial.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([x, y])
    model.dispose()
  })

  it('rand runs APGD-CE and APGD-DLR with 20 EOT samples, without leaking', async () => {
    const { model, classifier, x, y } = setup(6)
    ;(await autoAttack.run(classifier, x, y, { norm: 'L2', epsilon: 0, seed: 0, version: 'fast' })).adversarial.dispose()
    const before = tf.memory().numTensors
    const result = await autoAttackRand.run(classifier, x, y, { norm: 'L2', epsilon: 0.01, seed: 1 })
    expect(result.stages!.map((s) => [s.id, s.budget.eot])).toEqual([
      ['apgd-ce', 20],
      ['apgd-dlr', 20]
    ])
    expect(maxDistance(result.adversarial, x, 'L2')).toBeLessThanOrEqual(0.01 + 1e-6)
    result.adversarial.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([x, y])
    model.dispose()
  })
})
