/**
 * The adversarial gallery of a model run, as the run detail screen receives it. Issue 16 saw one
 * tall image beside a table whose rows did not line up with it ("#64, true 7" beside a 5): now each
 * sample carries its own three images, cut from the stored grid, and the perturbation's
 * amplification is one stated factor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { finished, testLab } from '../../support/lab'
import { loadDataset } from '../../../src-main/lab/data/loader'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('gallery')
})
afterAll(() => t.close())

/** The grey values (0–255) of a PNG data: URL, one per pixel. */
async function pixels(url: string): Promise<{ width: number; height: number; grey: number[] }> {
  const png = Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64')
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    grey: Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels])
  }
}

describe('evaluations.gallery', () => {
  it('is empty for a model nobody attacked, and after an attack gives one row per kept sample with that sample’s own images', async () => {
    const model = await t.api.request('train.start', {
      dataset: 'mnist',
      subset: { train: 256, test: 64 },
      model: { arch: 'mlp', width: 0.5 },
      epochs: 1,
      batchSize: 64
    })
    expect((await finished(t.api, model.id)).status).toBe('completed')
    await expect(t.api.request('evaluations.gallery', { id: model.id })).resolves.toEqual([])

    const attack = await t.api.request('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 0.3, n: 40, workers: 1 })
    expect((await finished(t.api, attack.id)).status).toBe('completed')
    const galleries = await t.api.request('evaluations.gallery', { id: model.id })
    expect(galleries).toHaveLength(1)
    const [g] = galleries
    expect(g).toMatchObject({ evalRunId: attack.id, attack: 'fgsm', norm: 'Linf', epsilon: 0.3, cellWidth: 28, cellHeight: 28 })
    // FGSM moves pixels by exactly ε = 0.3: the largest change becomes ± half the grey range.
    expect(g.amplification).toBeCloseTo(0.5 / 0.3, 4)
    expect(g.samples.length).toBeGreaterThan(0)

    const test = await loadDataset(t.lab.ctx, 'mnist', { split: 'test' })
    const size = 28 * 28
    for (const s of g.samples) {
      expect(s.cleanConfidence).toBeGreaterThan(0)
      expect(s.perturbationNorm).toBeLessThanOrEqual(0.3 + 1e-6)
      const [original, perturbation, adversarial] = await Promise.all([
        pixels(s.images.original),
        pixels(s.images.perturbation),
        pixels(s.images.adversarial)
      ])
      for (const image of [original, perturbation, adversarial]) expect([image.width, image.height]).toEqual([28, 28])
      // The row's original is the test image its sample index names, and its label is that image's.
      const k = Array.from(test.indices).indexOf(s.sampleIndex)
      expect(original.grey).toEqual(Array.from(test.images.subarray(k * size, (k + 1) * size), (v) => Math.round(v * 255)))
      expect(s.labelName).toBe(String(test.labels[k]))
      // Its adversarial stays in the ε-ball (one grey level of rounding) and its perturbation
      // image is (adversarial − original) × the stated factor around mid-grey.
      for (let i = 0; i < size; i++) {
        const change = (adversarial.grey[i] - original.grey[i]) / 255
        expect(Math.abs(change)).toBeLessThanOrEqual(0.3 + 1 / 255)
        expect(Math.abs(perturbation.grey[i] / 255 - (0.5 + change * g.amplification!))).toBeLessThanOrEqual(2.5 / 255)
      }
    }
  })
})
