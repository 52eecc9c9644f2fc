/**
 * Corruption evaluations and spatial attacks through the real service: two small models trained on
 * MNIST in a worker, measured on corrupted test images (corruptions.start, with the second model as
 * the mCE baseline) and attacked by rotations and translations (attack.start, sweep.start), with
 * everything written to a real log and read back through evaluations.list and the results table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finished, testLab } from '../../support/lab'
import type { RunSummary } from '../../../src-main/api/runs'
import { corruptionsCommand } from '../../../src-main/cli/commands/corruptions'

let t: ReturnType<typeof testLab>
let model: RunSummary
let baseline: RunSummary

async function train(seed: number, width: number): Promise<RunSummary> {
  const run = await t.api.request('train.start', {
    dataset: 'mnist',
    subset: { train: 2000, test: 100 },
    model: { arch: 'mlp', width },
    optimizer: { kind: 'adam', lr: 0.002 },
    epochs: 1,
    batchSize: 64,
    seed
  })
  const done = await finished(t.api, run.id)
  expect(done.status).toBe('completed')
  return done
}

beforeAll(async () => {
  t = testLab('corruptions')
  model = await train(1, 0.5)
  baseline = await train(2, 0.25)
}, 600_000)
afterAll(() => t?.close())

describe('a corruption evaluation', () => {
  it('files accuracy per corruption × severity for both models, their mean, and the mCE against the baseline', async () => {
    const corruptions = ['gaussian-noise', 'jpeg', 'rotation']
    const severities = [1, 3, 5]
    const run = await t.api.request('corruptions.start', {
      runId: model.id,
      baselineRunId: baseline.id,
      corruptions,
      severities,
      n: 60,
      seed: 4
    })
    expect(run.kind).toBe('corruptions')
    expect((await finished(t.api, run.id)).status).toBe('completed')

    const errorsOf = async (runId: number) => {
      const { rows, scores } = await t.api.request('evaluations.list', { runId })
      const cells = rows.filter((r) => r.evalRunId === run.id && r.norm === 'corruption' && r.attack !== 'corruption-mean')
      expect(cells.map((r) => `${r.attack}@${r.epsilon}`).sort()).toEqual(
        corruptions.flatMap((c) => severities.map((s) => `${c}@${s}`)).sort()
      )
      for (const r of cells) expect(r.n).toBe(60)
      const mean = rows.find((r) => r.evalRunId === run.id && r.attack === 'corruption-mean')!
      expect(mean.accuracy).toBeCloseTo(cells.reduce((s, r) => s + r.accuracy, 0) / cells.length, 12)
      const clean = rows.find((r) => r.evalRunId === run.id && r.attack === 'clean')!
      return { cells, clean, scores }
    }
    const measured = await errorsOf(model.id)
    const base = await errorsOf(baseline.id)

    // Severity 5 hurts: the mean over corruptions at 5 is below clean accuracy.
    const at5 = measured.cells.filter((r) => r.epsilon === 5)
    expect(at5.reduce((s, r) => s + r.accuracy, 0) / at5.length).toBeLessThan(measured.clean.accuracy)

    // The per-sample outcomes are the cell's accuracy.
    const jpeg3 = measured.cells.find((r) => r.attack === 'jpeg' && r.epsilon === 3)!
    const samples = await t.api.request('evaluations.samples', { resultId: jpeg3.resultIds[0] })
    expect(samples.filter((s) => s.adversarialCorrect).length / samples.length).toBeCloseTo(jpeg3.accuracy, 12)

    // mCE recomputed from the filed cells by Hendrycks & Dietterich's definition.
    const sumErrors = (cells: typeof measured.cells, c: string) =>
      cells.filter((r) => r.attack === c).reduce((s, r) => s + 1 - r.accuracy, 0)
    const expected = corruptions.reduce((s, c) => s + sumErrors(measured.cells, c) / sumErrors(base.cells, c), 0) / corruptions.length
    const mce = measured.scores.find((s) => s.metric === 'mce' && s.evalRunId === run.id)!
    expect(mce.value).toBeCloseTo(expected, 10)
    expect(mce.details.baselineRunId).toBe(baseline.id)
    expect(base.scores.find((s) => s.metric === 'mce')).toBeUndefined()
  })

  it('generates the same corrupted images from the same seed: a second run files the same accuracies', async () => {
    const accuracies = []
    for (let i = 0; i < 2; i++) {
      const run = await t.api.request('corruptions.start', {
        runId: model.id,
        corruptions: ['shot-noise', 'fog'],
        severities: [2],
        n: 40,
        seed: 9
      })
      expect((await finished(t.api, run.id)).status).toBe('completed')
      const { rows } = await t.api.request('evaluations.list', { runId: model.id })
      accuracies.push(
        rows
          .filter((r) => r.evalRunId === run.id && r.norm === 'corruption')
          .map((r) => `${r.attack}@${r.epsilon}=${r.accuracy}`)
          .sort()
      )
    }
    expect(accuracies[1]).toEqual(accuracies[0])
  })

  it('refuses an unknown corruption, a severity outside 1–5, and the model as its own baseline, naming the field', async () => {
    const refusal = async (params: unknown) => {
      const response = await t.api.call('corruptions.start', params)
      expect(response.ok).toBe(false)
      return response.ok ? '' : `${response.error.field}: ${response.error.message}`
    }
    expect(await refusal({ runId: model.id, corruptions: ['snow'] })).toMatch(/corruptions\.0.*gaussian-noise/)
    expect(await refusal({ runId: model.id, severities: [6] })).toMatch(/severities\.0.*1 to 5/)
    expect(await refusal({ runId: model.id, baselineRunId: model.id })).toMatch(/baselineRunId.*another model run/)
  })
})

describe('lab corruptions (the CLI command, on the same service)', () => {
  it('starts the evaluation from its options and prints every cell of both models and the mCE', async () => {
    const out: string[] = []
    const ctx = { api: t.api, json: true, out: (s: string) => out.push(s), err: () => {}, interactive: false }
    const code = await corruptionsCommand.run(
      {
        positionals: [String(model.id)],
        options: { baseline: String(baseline.id), corruptions: 'contrast,pixelate', severities: '2,4', n: '30' }
      } as never,
      ctx
    )
    expect(code).toBe(0)
    const printed = JSON.parse(out.join('\n')) as {
      run: RunSummary
      models: Array<{ runId: number; rows: Array<{ attack: string; epsilon: number }>; scores: Array<{ metric: string }> }>
    }
    expect(printed.run.kind).toBe('corruptions')
    for (const m of printed.models)
      expect(
        m.rows
          .filter((r) => r.attack === 'contrast' || r.attack === 'pixelate')
          .map((r) => r.epsilon)
          .sort()
      ).toEqual([2, 2, 4, 4])
    expect(printed.models[0].scores.map((s) => s.metric)).toContain('mce')
    await expect(corruptionsCommand.run({ positionals: [String(model.id)], options: { severities: 'two' } } as never, ctx)).rejects.toThrow(
      /--severities takes whole numbers/
    )
  })
})

describe('spatial attacks through the service', () => {
  it('attack.start files a spatial attack under norm "spatial" at its rotation bound, below clean accuracy', async () => {
    const run = await t.api.request('attack.start', { runId: model.id, attack: 'spatial-random', epsilon: 0.3, n: 60, settings: { k: 5 } })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const { rows } = await t.api.request('evaluations.list', { runId: model.id })
    const spatial = rows.find((r) => r.evalRunId === run.id && r.attack === 'spatial-random')!
    const clean = rows.find((r) => r.evalRunId === run.id && r.attack === 'clean')!
    expect(spatial).toMatchObject({ norm: 'spatial', epsilon: 30, n: 60 })
    expect(spatial.accuracy).toBeLessThanOrEqual(clean.accuracy)
    // No gallery: it shows an amplified x_adv − x at an ε, which a rotation has neither of.
    const galleries = t.lab.ctx.db.prepare("SELECT COUNT(*) AS n FROM artifacts WHERE run_id = ? AND kind = 'gallery'").get(run.id) as {
      n: number
    }
    expect(galleries.n).toBe(0)
  })

  it('a sweep runs a spatial attack once, not once per ε', async () => {
    const run = await t.api.request('sweep.start', {
      runIds: [model.id],
      attacks: [
        { attack: 'fgsm', settings: {} },
        { attack: 'spatial-grid', settings: { maxRotation: 15, rotations: 3, translations: 3 } }
      ],
      epsilons: [0.1, 0.2],
      n: 40
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const rows = (await t.api.request('evaluations.list', { runId: model.id })).rows.filter((r) => r.evalRunId === run.id)
    expect(rows.map((r) => `${r.attack}/${r.norm}@${r.epsilon}`).sort()).toEqual([
      'clean/none@0',
      'fgsm/Linf@0.1',
      'fgsm/Linf@0.2',
      'spatial-grid/spatial@15'
    ])
  })
})

describe('the full evaluation', () => {
  it('runs the spatial suite when asked: random-10 on every image, the 775-motion grid on Square\'s subset, filed under norm "spatial"', async () => {
    const run = await t.api.request('eval.start', { runId: baseline.id, budget: 'quick', n: 60, spatial: true })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const rows = (await t.api.request('evaluations.list', { runId: baseline.id })).rows.filter((r) => r.evalRunId === run.id)
    const random = rows.find((r) => r.attack === 'spatial-random')!
    const grid = rows.find((r) => r.attack === 'spatial-grid')!
    expect(random).toMatchObject({ norm: 'spatial', epsilon: 30, n: 60 })
    expect(grid).toMatchObject({ norm: 'spatial', epsilon: 30 })
    const clean = rows.find((r) => r.attack === 'clean')!
    expect(random.accuracy).toBeLessThanOrEqual(clean.accuracy)
    // Without the flag there is no spatial row: the suite is optional.
    const plain = await t.api.request('eval.start', { runId: model.id, budget: 'quick', n: 30 })
    expect((await finished(t.api, plain.id)).status).toBe('completed')
    const plainRows = (await t.api.request('evaluations.list', { runId: model.id })).rows.filter((r) => r.evalRunId === plain.id)
    expect(plainRows.some((r) => r.norm === 'spatial')).toBe(false)
  }, 600_000)
})

describe('the results table', () => {
  it('shows the corruption mean and the spatial attacks as columns by default, each severity when asked, and keeps them out of the robust headline', async () => {
    const table = await t.api.request('results.table', { ids: [model.id] })
    const titles = table.columns.map((c) => c.title)
    expect(titles).toContain('Corruptions (mean)')
    expect(titles).toContain('Spatial (random-k) (±30°)')
    expect(titles).toContain('Spatial (grid) (±15°)')
    expect(titles.filter((t) => /severity/.test(t))).toEqual([])
    // The headline is the worst ε-ball attack at its largest ε, never a severity or a bound in degrees.
    const { rows: all } = await t.api.request('evaluations.list', { runId: model.id })
    const largest = Math.max(...all.filter((r) => r.norm === 'Linf').map((r) => r.epsilon))
    expect(table.headlines[0].robust).toMatchObject({ norm: 'Linf', epsilon: largest })
    const chosen = await t.api.request('results.table', { ids: [model.id], epsilons: { jpeg: [1, 5] } })
    expect(chosen.columns.map((c) => c.title)).toEqual(
      expect.arrayContaining(['JPEG compression (severity 1)', 'JPEG compression (severity 5)'])
    )
    // The cell is the number the evaluation filed.
    const { rows } = await t.api.request('evaluations.list', { runId: model.id })
    const jpeg5 = rows.find((r) => r.attack === 'jpeg' && r.epsilon === 5)!
    const col = chosen.columns.findIndex((c) => c.title === 'JPEG compression (severity 5)')
    expect(chosen.rows[0].cells[col]!.mean).toBeCloseTo(jpeg5.accuracy, 12)
  })
})
