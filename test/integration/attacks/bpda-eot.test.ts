import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import type { Model } from '../../../src-main/lab/models/model'
import { classifierFromFunction, classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { withBpda } from '../../../src-main/lab/attacks/bpda'
import { withEot } from '../../../src-main/lab/attacks/eot'
import { fgsm } from '../../../src-main/lab/attacks/fgsm'
import { pgd } from '../../../src-main/lab/attacks/pgd'
import { rng } from '../../../src-main/lab/attacks/base'
import { accuracy, mnistWithModels, type MnistSplit } from '../../unit/attacks/fixtures'

let model: Model
let test: MnistSplit

beforeAll(async () => {
  ;({
    models: [model],
    test
  } = await mnistWithModels({ arch: 'cnn-small', width: 0.5, trainImages: 3000, epochs: 2, seed: 1 }))
})

afterAll(() => {
  tf.dispose([test.x, test.y])
  model.dispose()
})

/** The seed study's "gradient-mask toy": identity forward, zero backward. */
const truncate = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy)
})) as unknown as Parameters<typeof tf.customGrad>[0])

describe('BPDA', () => {
  it('breaks a gradient-truncation classifier that plain PGD cannot', async () => {
    const masked = classifierFromFunction((x) => model.forward(truncate(x) as tf.Tensor4D), {
      numClasses: 10,
      inputShape: [28, 28, 1],
      nonDifferentiable: true
    })
    const params = { norm: 'Linf' as const, epsilon: 0.2, seed: 1, steps: 10 }
    const clean = accuracy((x) => masked.logits(x), test.x, test.y)
    const plain = await pgd.run(masked, test.x, test.y, params)
    // BPDA: the truncating layer is the identity on the backward pass, i.e. differentiate the model.
    const bpda = await pgd.run(
      withBpda(masked, (x) => model.forward(x)),
      test.x,
      test.y,
      params
    )
    const plainAcc = accuracy((x) => masked.logits(x), plain.adversarial, test.y)
    const bpdaAcc = accuracy((x) => masked.logits(x), bpda.adversarial, test.y)
    // Zero gradients leave PGD with its random start only: accuracy stays near clean.
    expect(plainAcc).toBeGreaterThan(clean - 0.15)
    expect(bpdaAcc).toBeLessThan(plainAcc - 0.4)
    // And BPDA does as well as PGD on the same model without the toy layer.
    const honest = await pgd.run(classifierFromModel(model), test.x, test.y, params)
    expect(bpdaAcc).toBeLessThanOrEqual(accuracy((x) => model.forward(x), honest.adversarial, test.y) + 0.02)
    tf.dispose([plain.adversarial, bpda.adversarial, honest.adversarial])
  })

  it('uses the classifier’s own bpdaLogits when no approximation is passed, and refuses without one', () => {
    const withOwn = classifierFromFunction((x) => model.forward(x), { numClasses: 10, inputShape: [28, 28, 1] })
    expect(() => withBpda(withOwn)).toThrow(/needs a differentiable approximation/)
    const g = withBpda({ ...withOwn, bpdaLogits: (x) => model.forward(x) }).gradient(test.x, (z) => tf.sum(z) as tf.Scalar)
    expect(g.shape).toEqual(test.x.shape)
    g.dispose()
  })
})

describe('EOT', () => {
  it('beats plain gradients on a randomised classifier (random input dropout)', async () => {
    // A linear model behind inverted dropout keeping 10% of the pixels: one draw's gradient is
    // zero on ~90% of them, so FGSM moves only those few; 20 averaged draws cover most pixels.
    // Success is judged on the expected (deterministic) model E[f(x)] = xW + b.
    const D = 64
    const N = 300
    const r = rng(9)
    const W = tf.tensor2d(
      Float32Array.from({ length: D * 3 }, () => r() * 2 - 1),
      [D, 3]
    )
    const B = tf.tensor1d([0, 0, 0])
    const x = tf.tensor4d(
      Float32Array.from({ length: N * D }, () => r()),
      [N, 8, 8, 1]
    )
    const expected = (v: tf.Tensor4D) => tf.add(tf.matMul(tf.reshape(v, [v.shape[0], D]), W), B) as tf.Tensor2D
    const y = tf.tidy(() => tf.cast(tf.argMax(expected(x), 1), 'int32')) as tf.Tensor1D
    let draw = 0
    const randomised = classifierFromFunction(
      (v) => {
        const mask = tf.tensor(
          Float32Array.from({ length: v.size }, () => (rng(1000 + draw++)() < 0.1 ? 10 : 0)),
          v.shape
        )
        return expected(tf.mul(v, mask) as tf.Tensor4D)
      },
      { numClasses: 3, inputShape: [8, 8, 1], randomised: true }
    )
    const params = { norm: 'Linf' as const, epsilon: 0.1, seed: 1 }
    const plain = await fgsm.run(randomised, x, y, params)
    const eot = await fgsm.run(withEot(randomised, 20), x, y, params)
    const plainAcc = accuracy(expected, plain.adversarial, y)
    const eotAcc = accuracy(expected, eot.adversarial, y)
    expect(eotAcc).toBeLessThan(plainAcc - 0.2)
    tf.dispose([W, B, x, y, plain.adversarial, eot.adversarial])
  })
})
