/**
 * Pre-flight checks (AutoAttack's `checks`, run before an attack spends its budget): a randomised
 * model, probability outputs and fewer classes than a targeted attack's plan are each reported in
 * a warning; a plain deterministic logit model gets none.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { classifierFromFunction } from '../../../src-main/lab/attacks/classifier'
import { preflightWarnings } from '../../../src-main/lab/eval/diagnostics/preflight'

const shape: [number, number, number] = [4, 4, 1]
const images = Float32Array.from({ length: 16 * 16 }, (_, i) => (i % 7) / 7)
/** A fixed linear map of the 16 pixels to K logits. */
const linear = (k: number) => (x: tf.Tensor4D) =>
  tf.matMul(
    tf.reshape(x, [x.shape[0], 16]),
    tf.tensor2d(
      Float32Array.from({ length: 16 * k }, (_, i) => Math.sin(i + 1)),
      [16, k]
    )
  ) as tf.Tensor2D

beforeAll(async () => {
  await initEngine('wasm')
})

describe('pre-flight warnings', () => {
  it('none for a deterministic model with logit outputs and ten classes', () => {
    expect(
      preflightWarnings(classifierFromFunction(linear(10), { numClasses: 10, inputShape: shape }), images, [
        { attack: 'pgd' },
        { attack: 'apgd-t' }
      ])
    ).toEqual([])
  })

  it('a randomised model: two calls differ', () => {
    let call = 0
    const noisy = classifierFromFunction((x) => tf.add(linear(10)(x), ++call * 0.01) as tf.Tensor2D, {
      numClasses: 10,
      inputShape: shape,
      randomised: true
    })
    const [warning, ...rest] = preflightWarnings(noisy, images, [{ attack: 'pgd' }])
    expect(rest).toEqual([])
    expect(warning).toMatch(/^Pre-flight: the model is randomised — two calls on the same images differ by up to 1\.00e-2 in a logit\./)
    // autoattack-rand is the attack for such models: nothing to warn about.
    expect(preflightWarnings(noisy, images, [{ attack: 'autoattack-rand' }])).toEqual([])
  })

  it('probability outputs: rows in [0, 1] summing to 1', () => {
    const softmax = classifierFromFunction((x) => tf.softmax(linear(10)(x)) as tf.Tensor2D, { numClasses: 10, inputShape: shape })
    expect(preflightWarnings(softmax, images, [{ attack: 'fgsm' }])).toEqual([
      expect.stringMatching(/^Pre-flight: the model outputs probabilities \(rows in \[0, 1\] summing to 1\), not logits/)
    ])
  })

  it("fewer classes than a targeted attack's plan aims at", () => {
    const three = classifierFromFunction(linear(3), { numClasses: 3, inputShape: shape })
    expect(
      preflightWarnings(three, images, [{ attack: 'apgd-t' }, { attack: 'pgd' }, { attack: 'autoattack', settings: { version: 'fast' } }])
    ).toEqual([
      'Pre-flight: apgd-t aims at 9 other classes by default, but the model has only 3 classes; it aims at 2.',
      'Pre-flight: autoattack aims at 3 other classes by default, but the model has only 3 classes; it aims at 2.'
    ])
  })
})
