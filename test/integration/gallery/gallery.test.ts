/** The adversarial gallery of a model run, as the run detail screen receives it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finished, testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('gallery')
})
afterAll(() => t.close())

describe('evaluations.gallery', () => {
  it('is empty for a model nobody attacked, and after an attack holds its PNG grid and one row per kept sample', async () => {
    const model = await t.api.request('train.start', { dataset: 'mnist', subset: { train: 256, test: 64 }, model: { arch: 'mlp', width: 0.5 }, epochs: 1, batchSize: 64 })
    expect((await finished(t.api, model.id)).status).toBe('completed')
    await expect(t.api.request('evaluations.gallery', { id: model.id })).resolves.toEqual([])

    const attack = await t.api.request('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 0.3, n: 40, workers: 1 })
    expect((await finished(t.api, attack.id)).status).toBe('completed')
    const galleries = await t.api.request('evaluations.gallery', { id: model.id })
    expect(galleries).toHaveLength(1)
    const [g] = galleries
    expect(g).toMatchObject({ evalRunId: attack.id, attack: 'fgsm', norm: 'Linf', epsilon: 0.3, columns: ['original', 'perturbation (amplified)', 'adversarial'] })
    const png = Buffer.from(g.image.replace(/^data:image\/png;base64,/, ''), 'base64')
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    // The grid is as tall as its rows of samples.
    const height = png.readUInt32BE(20)
    expect(height).toBeGreaterThanOrEqual(g.samples.length * g.cellHeight)
    for (const s of g.samples) {
      expect(s.cleanConfidence).toBeGreaterThan(0)
      expect(s.perturbationNorm).toBeLessThanOrEqual(0.3 + 1e-6)
    }
  })
})
