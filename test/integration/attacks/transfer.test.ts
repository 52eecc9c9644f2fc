import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import type { Model } from '../../../src-main/lab/models/model'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { runTransfer, transferAttack } from '../../../src-main/lab/attacks/transfer'
import { pgd } from '../../../src-main/lab/attacks/pgd'
import { accuracy, mnistWithModels, type MnistSplit } from '../../unit/attacks/fixtures'

let surrogate: Model
let target: Model
let test: MnistSplit

beforeAll(async () => {
  ;({
    models: [surrogate, target],
    test
  } = await mnistWithModels(
    { arch: 'cnn-small', width: 0.5, trainImages: 3000, epochs: 2, seed: 1 },
    { arch: 'mlp', width: 0.25, trainImages: 3000, epochs: 2, seed: 2 }
  ))
})

afterAll(() => {
  tf.dispose([test.x, test.y])
  surrogate.dispose()
  target.dispose()
})

describe('transfer attack', () => {
  it('crafts on the surrogate only: with the surrogate as target it equals the white-box attack', async () => {
    const s = classifierFromModel(surrogate)
    const params = { norm: 'Linf' as const, epsilon: 0.2, seed: 4, steps: 10 }
    const transferred = await runTransfer(s, s, pgd, test.x, test.y, params)
    const direct = await pgd.run(s, test.x, test.y, params)
    expect(transferred.targetAccuracy).toBe(accuracy((x) => s.logits(x), direct.adversarial, test.y))
    expect(transferred.surrogateAccuracy).toBe(transferred.targetAccuracy)
    expect(transferred.budget).toMatchObject({ craftedWith: 'pgd', steps: 10 })
    tf.dispose([transferred.adversarial, direct.adversarial])
  })

  it('PGD examples crafted on a cnn-small lower the accuracy of a separately trained mlp', async () => {
    const t = classifierFromModel(target)
    const clean = accuracy((x) => t.logits(x), test.x, test.y)
    const attack = transferAttack(classifierFromModel(surrogate), pgd)
    expect(attack.id).toBe('transfer-pgd')
    const result = await attack.run(t, test.x, test.y, { norm: 'Linf', epsilon: 0.3, seed: 4, steps: 10 })
    expect(clean).toBeGreaterThan(0.8)
    expect(accuracy((x) => t.logits(x), result.adversarial, test.y)).toBeLessThan(clean - 0.2)
    result.adversarial.dispose()
  })
})
