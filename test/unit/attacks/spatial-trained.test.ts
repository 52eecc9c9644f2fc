/**
 * On a trained model the spatial attacks order as their threat models do: the worst of the paper's
 * 775-motion grid breaks at least what the worst of 10 random motions breaks, and neither scores
 * above clean accuracy (both start from the untouched image). A cnn-small trained on 3,000 MNIST
 * images (the attack tests' cached model), 60 test images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { attacks } from '../../../src-main/lab/attacks'
import type { Model } from '../../../src-main/lab/models/model'
import { accuracy, mnistWithModels, type MnistSplit } from './fixtures'

let model: Model
let test: MnistSplit
let x: tf.Tensor4D
let y: tf.Tensor1D

beforeAll(async () => {
  ;({
    models: [model],
    test
  } = await mnistWithModels({ arch: 'cnn-small', width: 0.5, trainImages: 3000, epochs: 2, seed: 1 }))
  x = tf.slice(test.x, [0, 0, 0, 0], [60, -1, -1, -1])
  y = tf.slice(test.y, [0], [60])
})

afterAll(() => tf.dispose([test.x, test.y, x, y]))

describe('spatial attacks on a trained MNIST cnn', () => {
  it('worst-of-grid accuracy ≤ random-10 accuracy ≤ clean accuracy, and the grid breaks something', async () => {
    const classifier = classifierFromModel(model)
    const logits = (t: tf.Tensor4D) => classifier.logits(t)
    const clean = accuracy(logits, x, y)
    const grid = await attacks['spatial-grid'].run(classifier, x, y, { norm: 'Linf', epsilon: 0.3, seed: 0 })
    const random = await attacks['spatial-random'].run(classifier, x, y, { norm: 'Linf', epsilon: 0.3, seed: 0 })
    const gridAccuracy = accuracy(logits, grid.adversarial, y)
    const randomAccuracy = accuracy(logits, random.adversarial, y)
    expect(clean).toBeGreaterThan(0.8)
    expect(randomAccuracy).toBeLessThanOrEqual(clean)
    expect(gridAccuracy).toBeLessThanOrEqual(randomAccuracy)
    // Engstrom et al. report standard MNIST models far below clean under the grid: it is a real attack.
    expect(gridAccuracy).toBeLessThan(clean - 0.2)
    console.log(`clean ${clean}, random-10 ${randomAccuracy}, grid-775 ${gridAccuracy}`)
    tf.dispose([grid.adversarial, random.adversarial])
  })
})
