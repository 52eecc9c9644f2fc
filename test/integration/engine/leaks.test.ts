import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { inputGradient, trainingGradients } from '../../../src-main/lab/models/gradient'

describe('no tensor leaks', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  for (const arch of ['cnn-small', 'resnet18'] as const) {
    it(`${arch}: tf.memory().numTensors is unchanged after 100 training steps and 100 input-gradient steps`, () => {
      const m = createModel({ arch, inputShape: [16, 16, 3], numClasses: 10, width: 0.125, seed: 1 })
      const x = tf.randomUniform([4, 16, 16, 3]) as tf.Tensor4D
      const y = tf.tensor1d([0, 1, 2, 3], 'int32')
      const trainStep = (): void => {
        const g = trainingGradients(m, x, y)
        tf.tidy(() => m.params.forEach((p) => p.tensor.assign(tf.sub(p.tensor, tf.mul(g.grads[p.name], 0.01)))))
        tf.dispose([g.loss, g.logits, ...Object.values(g.grads)])
      }
      const attackStep = (): void => {
        const r = inputGradient(m, x, y)
        tf.dispose([r.grad, r.loss, r.logits])
      }
      // One of each first: the inference path caches folded weights once per weight version.
      trainStep()
      attackStep()
      const before = tf.memory().numTensors
      for (let i = 0; i < 100; i++) trainStep()
      attackStep()
      const afterTraining = tf.memory().numTensors
      for (let i = 0; i < 100; i++) attackStep()
      expect(afterTraining).toBe(before)
      expect(tf.memory().numTensors).toBe(before)
      m.dispose()
      tf.dispose([x, y])
    })
  }
})
