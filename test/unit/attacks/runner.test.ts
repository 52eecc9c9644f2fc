/**
 * The shared attack runner: an attack file hands it only an algorithm; the runner gives the
 * algorithm typed settings with the declaration's defaults, refuses unknown settings before the
 * algorithm runs, and projects whatever the algorithm returns onto the ε-ball and [0, 1] once.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { defineAttack } from '../../../src-main/lab/attacks/runner'
import { pgdDeclaration } from '../../../src-main/api/attacks/pgd'
import { maxDistance } from './fixtures'

const model = classifierFromFunction(
  (x) => tf.reshape(tf.slice(tf.reshape(x, [x.shape[0], -1]), [0, 0], [-1, 3]), [x.shape[0], 3]) as tf.Tensor2D,
  { numClasses: 3, inputShape: [2, 2, 1] }
)

beforeAll(async () => {
  await initEngine('wasm')
})

describe('the attack runner', () => {
  it("gives the algorithm the declaration's resolved settings and projects its result onto the ε-ball and [0, 1]", async () => {
    let seen: unknown = null
    const far = defineAttack(pgdDeclaration, async (_m, x, _y, call) => {
      seen = call
      return { candidate: tf.add(x, 5) as tf.Tensor4D, budget: { ...call.settings } }
    })
    const x = tf.tensor4d([0.2, 0.5, 0.9, 1], [1, 2, 2, 1])
    const y = tf.tensor1d([0], 'int32')
    const result = await far.run(model, x, y, { norm: 'Linf', epsilon: 0.25, seed: 3, steps: 5 })
    expect(seen).toEqual({
      norm: 'Linf',
      epsilon: 0.25,
      seed: 3,
      settings: { steps: 5, stepSize: 0.125, restarts: 1, randomStart: true, loss: 'ce' }
    })
    expect(Array.from(result.adversarial.dataSync())).toEqual([0.45, 0.75, 1, 1].map((v) => Math.fround(v)))
    expect(maxDistance(result.adversarial, x, 'Linf')).toBeLessThanOrEqual(0.25 + 1e-6)
    tf.dispose([x, y, result.adversarial])
  })

  it('refuses a misspelled setting before the algorithm runs', async () => {
    let ran = false
    const attack = defineAttack(pgdDeclaration, async (_m, x) => {
      ran = true
      return { candidate: tf.clone(x) }
    })
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D
    const y = tf.tensor1d([0], 'int32')
    await expect(attack.run(model, x, y, { norm: 'Linf', epsilon: 0.1, seed: 0, stpes: 100 })).rejects.toThrow(
      'Attack "pgd" has no setting "stpes"; its settings are steps, stepSize, restarts, randomStart, loss.'
    )
    expect(ran).toBe(false)
    tf.dispose([x, y])
  })
})
