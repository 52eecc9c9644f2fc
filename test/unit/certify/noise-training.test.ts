/**
 * Gaussian noise augmentation trains on x + δ, δ ~ N(0, σ²I), unclipped (Cohen et al. 2019): the
 * noise has the stated σ and mean 0, is seeded per batch, and the loss is the base loss on the
 * noisy batch.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { DefenceSchema } from '../../../src-main/api/defences'
import { noisyImages, type NoiseTraining } from '../../../src-main/lab/defences/noise-training'
import { describeDefence, lossWithDefence } from '../../../src-main/lab/defences/training'
import { crossEntropy } from '../../../src-main/lab/train/losses'
import { images, tinyModel } from '../defences/fixtures'

beforeAll(async () => {
  await initEngine('cpu')
})

describe('Gaussian noise augmentation', () => {
  it('adds noise of mean 0 and standard deviation σ, not clipped to [0, 1]', () => {
    const clean = new Float32Array(100_000).fill(0.5)
    const noisy = noisyImages(clean, 0.25, 3)
    const deltas = Array.from(noisy, (v, i) => v - clean[i])
    const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length
    const std = Math.sqrt(deltas.reduce((a, b) => a + (b - mean) ** 2, 0) / deltas.length)
    // Standard errors: σ/√n = 0.0008 for the mean, σ/√(2n) = 0.0006 for the standard deviation.
    expect(Math.abs(mean)).toBeLessThan(0.004)
    expect(Math.abs(std - 0.25)).toBeLessThan(0.003)
    expect(Math.max(...noisy)).toBeGreaterThan(1)
    expect(Math.min(...noisy)).toBeLessThan(0)
    expect(noisyImages(clean.subarray(0, 50), 0.25, 3)).toEqual(noisy.subarray(0, 50))
  })

  it('is the base loss on the noisy batch, with the default σ = 0.25 of the paper', () => {
    const defence = DefenceSchema.parse({ kind: 'gaussian-noise' }) as NoiseTraining
    expect(defence.sigma).toBe(0.25)
    expect(describeDefence(defence)).toContain('σ=0.25')
    const model = tinyModel('mlp', 4)
    const built = { forward: (v: tf.Tensor4D, training: boolean) => model.forward(v, { training }) }
    const data = images(6, [4, 4, 1], 5)
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32')
    const base = (logits: tf.Tensor2D, labels: tf.Tensor1D) => crossEntropy(logits, labels)
    let seen: Float32Array | null = null
    const spy = (logits: tf.Tensor2D, labels: tf.Tensor1D, batch: { images: Float32Array }) => {
      seen = batch.images
      return base(logits, labels)
    }
    const loss = lossWithDefence(defence, built, { height: 4, width: 4, channels: 1 }, 7, spy)
    expect(loss.cleanLogits).toBe('inference')
    const value = loss(model.forward(tf.tensor4d(data, [6, 4, 4, 1])), y, {
      images: data,
      indices: Int32Array.from([0, 1, 2, 3, 4, 5])
    }).dataSync()[0]
    expect(seen).not.toBeNull()
    expect(Array.from(seen!)).not.toEqual(Array.from(data))
    expect(value).toBeCloseTo(base(model.forward(tf.tensor4d(seen!, [6, 4, 4, 1])), y).dataSync()[0], 5)
  })
})
