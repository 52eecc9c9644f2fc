/**
 * Evaluation through the real service: a cnn-small trained on MNIST in a worker, then attacked,
 * swept and fully evaluated by jobs that shard their samples over worker threads, with everything
 * written to a real log. The masking verdict is checked on the two cases the issue names: the
 * undefended baseline is "no", the same weights behind the gradient-truncation toy are "yes".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { finished, testLab } from '../../support/lab'
import type { RunSummary } from '../../../src-main/api/runs'

let t: ReturnType<typeof testLab>
let baseline: RunSummary
let toy: RunSummary

beforeAll(async () => {
  t = testLab('eval')
  const run = await t.api.request('train.start', {
    dataset: 'mnist',
    subset: { train: 5000, test: 200 },
    model: { arch: 'cnn-small' },
    optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 },
    epochs: 2,
    batchSize: 64,
    seed: 1
  })
  baseline = await finished(t.api, run.id)
  expect(baseline.status).toBe('completed')
  toy = await t.api.request('defences.wrap', { runId: baseline.id, defence: { kind: 'gradient-truncation' } })
}, 600_000)
afterAll(() => t?.close())

describe('evaluating a trained model', () => {
  it('an attack run records clean and attacked accuracy, mean ± std over repeats, per-sample outcomes and a gallery', async () => {
    const run = await t.api.request('attack.start', {
      runId: baseline.id,
      attack: 'pgd',
      epsilon: '0.15',
      n: 150,
      repeats: 2,
      settings: { steps: 5 }
    })
    expect(run.kind).toBe('attack')
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const { rows } = await t.api.request('evaluations.list', { runId: baseline.id })
    const clean = rows.find((r) => r.attack === 'clean' && r.evalRunId === run.id)!
    const pgd = rows.find((r) => r.attack === 'pgd' && r.evalRunId === run.id)!
    expect(clean.accuracy).toBeGreaterThan(0.9)
    expect(pgd).toMatchObject({ norm: 'Linf', epsilon: 0.15, n: 150, seeds: 2 })
    expect(pgd.accuracy).toBeLessThan(clean.accuracy)
    expect(pgd.drop).toBeCloseTo(clean.accuracy - pgd.accuracy, 10)
    const samples = await t.api.request('evaluations.samples', { resultId: pgd.resultIds[0] })
    expect(samples).toHaveLength(150)
    // The table's accuracy is the mean over the seeds of the per-sample outcomes.
    const second = await t.api.request('evaluations.samples', { resultId: pgd.resultIds[1] })
    const share = (list: typeof samples) => list.filter((s) => s.adversarialCorrect).length / list.length
    expect((share(samples) + share(second)) / 2).toBeCloseTo(pgd.accuracy, 10)
    for (const s of samples) expect(s.perturbationNorm!).toBeLessThanOrEqual(0.15 + 1e-6)
    const gallery = t.lab.ctx.db.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'gallery'").get(run.id) as { path: string }
    const meta = await sharp(path.join(t.dataDir, gallery.path)).metadata()
    expect(meta.width).toBe(3 * 28 + 4 * 2) // original | perturbation | adversarial, with gaps
    expect(meta.height).toBe(8 * 28 + 9 * 2)
    const json = t.lab.ctx.db.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'gallery-json'").get(run.id) as {
      path: string
    }
    expect(JSON.parse(fs.readFileSync(path.join(t.dataDir, json.path), 'utf8')).samples).toHaveLength(8)
  })

  it('gives the same answer whether the samples run in one thread or are sharded over two workers', async () => {
    const outcomes = []
    for (const workers of [1, 2]) {
      const run = await t.api.request('attack.start', {
        runId: baseline.id,
        attack: 'pgd',
        epsilon: 0.1,
        n: 200,
        workers,
        settings: { steps: 3 }
      })
      expect((await finished(t.api, run.id)).status).toBe('completed')
      const row = (await t.api.request('evaluations.list', { runId: baseline.id })).rows.find(
        (r) => r.attack === 'pgd' && r.evalRunId === run.id
      )!
      outcomes.push((await t.api.request('evaluations.samples', { resultId: row.resultIds[0] })).map((s) => s.adversarialPrediction))
    }
    expect(outcomes[1]).toEqual(outcomes[0])
  })

  it('a sweep measures every model × attack × ε', async () => {
    const run = await t.api.request('sweep.start', {
      runIds: [baseline.id, toy.id],
      attacks: [{ attack: 'fgsm', settings: {} }],
      epsilons: ['4/255', 0.2],
      n: 100
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    for (const id of [baseline.id, toy.id]) {
      const rows = (await t.api.request('evaluations.list', { runId: id })).rows.filter((r) => r.evalRunId === run.id)
      expect(rows.map((r) => `${r.attack}@${r.epsilon}`).sort()).toEqual(['clean@0', `fgsm@${0.2}`, `fgsm@${4 / 255}`].sort())
    }
  })

  it('refuses what cannot be evaluated, naming the field', async () => {
    await expect(t.api.request('attack.start', { runId: baseline.id, attack: 'no-such-attack', epsilon: 0.1 })).rejects.toMatchObject({
      code: 'bad_input',
      field: 'attack'
    })
    const evalRun = (await t.api.request('runs.list', { kind: 'attack' }))[0]
    await expect(t.api.request('eval.start', { runId: evalRun.id })).rejects.toMatchObject({ code: 'bad_input', field: 'runId' })
    await expect(t.api.request('defences.wrap', { runId: baseline.id, defence: { kind: 'pgd-at', epsilon: 0.1 } })).rejects.toMatchObject({
      code: 'bad_input'
    })
  })
})

describe('the gradient-masking verdict of a full evaluation', () => {
  it('flags the undefended baseline "no" and the gradient-truncation toy "yes", with the evidence', async () => {
    const evalRuns: number[] = []
    for (const model of [baseline, toy]) {
      const run = await t.api.request('eval.start', { runId: model.id, budget: 'quick', n: 200 })
      const done = await finished(t.api, run.id)
      expect(done.status).toBe('completed')
      evalRuns.push(run.id)
    }
    const [base, masked] = await Promise.all([baseline, toy].map((m) => t.api.request('evaluations.list', { runId: m.id })))
    expect(base.verdict!.verdict).toBe('no')
    expect(base.verdict!.checks.filter((c) => c.status === 'fired')).toEqual([])
    expect(masked.verdict!.verdict).toBe('yes')
    // The toy's masking shows where the seed study says it does: zero gradients, BPDA breaks it.
    expect(masked.verdict!.fired).toEqual(expect.arrayContaining([4, 7]))
    const check4 = masked.verdict!.checks.find((c) => c.id === 4)!
    expect(check4.numbers.zeroGradientShare).toBe(1)
    // Same weights: the same clean accuracy; the toy's FGSM accuracy is its clean accuracy.
    const acc = (r: typeof base, attack: string) => r.rows.find((x) => x.attack === attack && evalRuns.includes(x.evalRunId!))!.accuracy
    expect(acc(masked, 'clean')).toBe(acc(base, 'clean'))
    expect(acc(masked, 'fgsm')).toBe(acc(masked, 'clean'))
    expect(acc(masked, 'pgd+bpda')).toBeLessThan(acc(masked, 'pgd') - 0.3)
    // Scores and certification are stored with their budget.
    expect(base.scores.map((s) => `${s.metric}/${s.norm}`).sort()).toEqual([
      'clever/L2',
      'clever/Linf',
      'lipschitz-global/L2',
      'lipschitz-global/Linf',
      'lipschitz-local/L2',
      'lipschitz-local/Linf',
      'smoothing-radius/L2'
    ])
    expect((base.scores.find((s) => s.metric === 'clever')!.details.budget as { batches: number }).batches).toBeGreaterThan(0)
    expect(base.rows.some((r) => r.attack === 'ibp')).toBe(true)
    // CROWN beside IBP at every ε of the curve (its certificate is never below IBP's on the same samples),
    // and randomised smoothing's certified accuracy per L2 radius with its Monte-Carlo budget.
    const ibp = base.rows.filter((r) => r.attack === 'ibp')
    const crown = base.rows.filter((r) => r.attack === 'crown')
    expect(crown.map((r) => r.epsilon)).toEqual(ibp.map((r) => r.epsilon))
    expect(crown.every((r) => r.n === 10)).toBe(true)
    const smoothing = base.rows.filter((r) => r.attack === 'smoothing')
    expect(smoothing.map((r) => r.epsilon)).toEqual([0, 0.25, 0.5])
    expect(smoothing[0].params).toMatchObject({ sigma: 0.25, n0: 100, n: 1000, alpha: 0.001 })
    expect(smoothing[0].accuracy).toBeGreaterThan(0.5)
  }, 900_000)
})
