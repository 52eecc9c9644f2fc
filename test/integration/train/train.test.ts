/**
 * Training through the real service: a job in a worker thread on the real engine, MNIST from the
 * built-in dataset, everything written to a real SQLite log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { finished, testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('train')
})
afterAll(() => t.close())

const base = {
  dataset: 'mnist',
  subset: { train: 1200, test: 300 },
  model: { arch: 'cnn-small' as const },
  optimizer: { kind: 'sgd' as const, lr: 0.05, momentum: 0.9 },
  epochs: 2,
  batchSize: 64,
  seed: 3
}

describe('a training run', () => {
  it('learns MNIST, logs one point per step for loss/accuracy/lr and per-epoch accuracies, and keeps its weights', async () => {
    const run = await t.api.request('train.start', base)
    expect(run).toMatchObject({ status: 'queued', kind: 'train', seed: 3, name: 'cnn-small on mnist' })
    const done = await finished(t.api, run.id)
    expect(done).toMatchObject({ status: 'completed', backend: expect.any(String), error: null })

    const series = await t.api.request('runs.metrics', { id: run.id })
    const byName = Object.fromEntries(series.map((s) => [s.name, s]))
    const steps = 2 * Math.ceil(1200 / 64)
    expect(byName['train/loss'].steps).toEqual(Array.from({ length: steps }, (_, i) => i + 1))
    expect(byName['lr'].values[0]).toBeCloseTo(0.05, 6)
    expect(byName['test/accuracy'].steps).toEqual([steps / 2, steps])
    expect(byName['test/accuracy'].values[1]).toBeGreaterThan(0.8)
    // Loss falls: the last ten steps average well below the first ten.
    const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length
    expect(mean(byName['train/loss'].values.slice(-10))).toBeLessThan(0.6 * mean(byName['train/loss'].values.slice(0, 10)))

    const weights = t.lab.ctx.db.prepare("SELECT path, sha256, bytes FROM artifacts WHERE run_id = ? AND kind = 'weights'").get(run.id) as {
      path: string
      bytes: number
    }
    expect(fs.statSync(path.join(t.dataDir, weights.path)).size).toBe(weights.bytes)
  })

  it('gives the same result for the same seed', async () => {
    const config = { ...base, epochs: 1, subset: { train: 300, test: 100 } }
    const a = await t.api.request('train.start', config)
    await finished(t.api, a.id)
    const b = await t.api.request('train.start', config)
    await finished(t.api, b.id)
    const [la, lb] = await Promise.all([a, b].map((r) => t.api.request('runs.metrics', { id: r.id, names: ['train/loss'] })))
    expect(lb[0].values).toEqual(la[0].values)
    expect(b.configHash).toBe(a.configHash)
  })

  it('stops as failed, with the step and the reason, when the loss becomes NaN or Inf', async () => {
    const run = await t.api.request('train.start', {
      ...base,
      epochs: 1,
      optimizer: { kind: 'sgd', lr: 9, momentum: 0.99 },
      subset: { train: 640, test: 100 }
    })
    const done = await finished(t.api, run.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(
      /^the train loss became (NaN|Infinity|-Infinity) at step \d+ \(epoch 1\); lower the learning rate or check the data$/
    )
  })

  it('refuses a config with a bad field, naming it, and creates no run', async () => {
    const before = (await t.api.request('runs.list', {})).length
    const response = await t.api.call('train.start', { ...base, epochs: 0 })
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'epochs' } })
    const unknown = await t.api.call('train.start', { ...base, dataset: 'cifar-11' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', field: 'dataset' } })
    expect((await t.api.request('runs.list', {})).length).toBe(before)
  })

  it('estimates a config from a measured probe: steps from the config, time from real steps on this backend', async () => {
    const estimate = await t.api.request('train.estimate', { ...base, subset: { train: 1000, test: 200 } })
    const status = await t.api.request('status.get', {})
    expect(estimate).toMatchObject({ backend: status.backend.name, trainImages: 1000, testImages: 200, steps: 2 * Math.ceil(1000 / 64) })
    expect(estimate.secondsPerStep).toBeGreaterThan(0)
    expect(estimate.totalSeconds).toBeCloseTo(estimate.trainSeconds + estimate.evalSeconds, 9)
    expect(estimate.trainSeconds).toBeCloseTo(estimate.steps * estimate.secondsPerStep, 9)
    // Data-parallel workers shorten each step (wasm and cpu; the probe itself runs on one thread).
    const one = await t.api.request('train.estimate', { ...base, subset: { train: 1000, test: 200 }, workers: 1 })
    const two = await t.api.request('train.estimate', { ...base, subset: { train: 1000, test: 200 }, workers: 2 })
    expect(two.secondsPerStep).toBeCloseTo(one.secondsPerStep / (['wasm', 'cpu'].includes(one.backend) ? 1.75 : 1), 9)
  })
})
