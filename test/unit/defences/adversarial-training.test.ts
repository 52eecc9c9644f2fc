/**
 * Adversarial training's inner attack stays in the ε-ball and raises the loss, its defaults are the
 * papers', the mixing ratio means what it says, and the whole thing can run inside a training step
 * (the loss is called under tf.variableGrads, so the crafted batch must not drag the attack into
 * the weight gradient).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { adversarialTrainingLoss, craftTrainingExamples, trainingAttackPlan } from '../../../src-main/lab/defences/adversarial-training'
import { lossWithDefence } from '../../../src-main/lab/defences/training'
import { DefenceSchema } from '../../../src-main/api/defences'
import { crossEntropy } from '../../../src-main/lab/train/losses'
import { images, tinyModel } from './fixtures'

beforeAll(async () => {
  await initEngine('cpu')
})

const shape = { height: 8, width: 8, channels: 1 }
const dims: [number, number, number, number] = [6, 8, 8, 1]

describe('adversarial training', () => {
  it("uses the papers' step sizes: 1.25ε for FGSM-AT (Wong et al. 2020), 2.5ε/k for PGD-k (Madry et al. 2018)", () => {
    expect(trainingAttackPlan(DefenceSchema.parse({ kind: 'fgsm-at', epsilon: '8/255' }) as never)).toEqual({
      epsilon: 8 / 255,
      steps: 1,
      stepSize: 1.25 * (8 / 255)
    })
    expect(trainingAttackPlan(DefenceSchema.parse({ kind: 'pgd-at', epsilon: 0.3, steps: 5 }) as never)).toEqual({
      epsilon: 0.3,
      steps: 5,
      stepSize: (2.5 * 0.3) / 5
    })
  })

  it('crafts examples inside the ε-ball and [0, 1] that raise the loss', () => {
    const model = tinyModel('cnn-small')
    const data = images(6, [8, 8, 1], 21)
    const x = tf.tensor4d(data, dims)
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32')
    const epsilon = 0.1
    const adv = craftTrainingExamples((v) => model.forward(v), x, y, { epsilon, steps: 5, stepSize: 0.05 }, 3)
    for (let i = 0; i < adv.length; i++) {
      expect(Math.abs(adv[i] - data[i])).toBeLessThanOrEqual(epsilon + 1e-6)
      expect(adv[i]).toBeGreaterThanOrEqual(0)
      expect(adv[i]).toBeLessThanOrEqual(1)
    }
    const clean = crossEntropy(model.forward(x), y).dataSync()[0]
    const attacked = crossEntropy(model.forward(tf.tensor4d(adv, dims)), y).dataSync()[0]
    expect(attacked).toBeGreaterThan(clean)
  })

  it('with mix = 1 is the clean loss, with mix = 0 the loss on the adversarial batch', () => {
    const model = tinyModel('mlp')
    const built = { forward: (x: tf.Tensor4D, training: boolean) => model.forward(x, { training }) }
    const mlpShape = { height: 4, width: 4, channels: 1 }
    const data = images(6, [4, 4, 1], 5)
    const x = tf.tensor4d(data, [6, 4, 4, 1])
    const y = tf.tensor1d([2, 1, 0, 2, 1, 0], 'int32')
    const base = (logits: tf.Tensor2D, labels: tf.Tensor1D) => crossEntropy(logits, labels)
    const batch = { images: data, indices: Int32Array.from([0, 1, 2, 3, 4, 5]) }
    const logits = model.forward(x)
    const onlyClean = adversarialTrainingLoss({ kind: 'pgd-at', epsilon: 0.1, steps: 3, mix: 1 }, built, mlpShape, 0, base)
    expect(onlyClean(logits, y, batch).dataSync()[0]).toBeCloseTo(base(logits, y).dataSync()[0], 6)
    const onlyAdversarial = adversarialTrainingLoss({ kind: 'pgd-at', epsilon: 0.1, steps: 3, mix: 0 }, built, mlpShape, 0, base)
    expect(onlyAdversarial(logits, y, batch).dataSync()[0]).toBeGreaterThan(base(logits, y).dataSync()[0])
  })

  it('runs inside a training step: weight gradients exist and are finite', () => {
    const model = tinyModel('cnn-small')
    const built = { forward: (x: tf.Tensor4D, training: boolean) => model.forward(x, { training }) }
    const data = images(6, [8, 8, 1], 8)
    const x = tf.tensor4d(data, dims)
    const y = tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32')
    const loss = lossWithDefence({ kind: 'fgsm-at', epsilon: 0.1, mix: 0.5 }, built, shape, 1, (logits, labels) =>
      crossEntropy(logits, labels)
    )
    const { value, grads } = tf.variableGrads(
      () => loss(built.forward(x, true), y, { images: data, indices: Int32Array.from([5, 4, 3, 2, 1, 0]) }),
      model.trainableVariables()
    )
    expect(Number.isFinite(value.dataSync()[0])).toBe(true)
    const norms = Object.values(grads).map((g) => tf.norm(g).dataSync()[0])
    expect(norms.length).toBe(model.trainableVariables().length)
    expect(norms.every(Number.isFinite)).toBe(true)
    expect(norms.some((v) => v > 0)).toBe(true)
  })
})
