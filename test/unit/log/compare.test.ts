/** Comparing runs: selection filters, aligned configs, finals, series, results per attack × ε, repeats. */
import { afterEach, describe, expect, it } from 'vitest'
import { compareRuns, selectRuns, commonLabel, stat } from '../../../src-main/lab/store/compare'
import { tagRuns, setArchived, trashRuns, setStarred } from '../../../src-main/lab/store/organise'
import { DIGEST_POINTS } from '../../../src-main/lab/store/metric-digests'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { addRun, baseConfig, datasetNamed, freshLog, seedStudy, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

describe('selectRuns', () => {
  it('filters by tag, status, dataset, architecture, defence, star and date, and never selects trashed runs', () => {
    lab = freshLog()
    const { db } = lab
    const a = addRun(db, { name: 'mnist cnn', config: baseConfig() })
    const b = addRun(db, { name: 'fashion mlp', config: baseConfig({ dataset: 'fashion-mnist', model: { arch: 'mlp', width: 1 } }) })
    const c = addRun(db, { name: 'toy', config: baseConfig({ defence: { kind: 'gradient-truncation' } }), status: 'failed' })
    const d = addRun(db, { name: 'distilled', kind: 'distill', config: { student: baseConfig(), temperature: 20 } })
    const e = addRun(db, { name: 'trashed', config: baseConfig() })
    tagRuns(db, [a, c], ['paper'])
    setStarred(db, b, true)
    trashRuns(db, [e])
    const ids = (f: Parameters<typeof selectRuns>[1]) =>
      selectRuns(db, f)
        .map((r) => r.id)
        .sort()
    expect(ids({})).toEqual([a, b, c, d])
    expect(ids({ tag: 'PAPER' })).toEqual([a, c])
    expect(ids({ status: 'failed' })).toEqual([c])
    expect(ids({ dataset: 'fashion-mnist' })).toEqual([b])
    expect(ids({ dataset: 'mnist' })).toEqual([a, c, d])
    expect(ids({ arch: 'mlp' })).toEqual([b])
    expect(ids({ defence: 'gradient-truncation' })).toEqual([c])
    expect(ids({ defence: 'distillation' })).toEqual([d])
    expect(ids({ defence: 'none' })).toEqual([a, b])
    expect(ids({ starred: true })).toEqual([b])
    expect(ids({ from: '2000-01-01', to: '2000-12-31' })).toEqual([])
    const today = new Date().toISOString().slice(0, 10)
    expect(ids({ from: today, to: today })).toEqual([a, b, c, d])
  })

  it('files imported and wrapped models under their dataset and architecture, so filters keep them (they showed neither)', () => {
    lab = freshLog()
    const { db } = lab
    const trained = addRun(db, { name: 'trained', config: baseConfig() })
    const imported = addRun(db, {
      name: 'imported',
      kind: 'import',
      config: { file: '/w/model.safetensors', dataset: 'mnist', arch: 'cnn-small' }
    })
    const wrapped = createRun(db, {
      name: 'wrapped',
      kind: 'wrapped',
      datasetId: datasetNamed(db, 'mnist'),
      config: { sourceRunId: imported, defence: { kind: 'gradient-truncation' } },
      seed: 0
    })
    const byId = new Map(selectRuns(db, {}).map((r) => [r.id, r]))
    for (const id of [trained, imported, wrapped]) expect(byId.get(id), `run ${id}`).toMatchObject({ dataset: 'mnist', arch: 'cnn-small' })
    expect(
      selectRuns(db, { arch: 'cnn-small', dataset: 'MNIST' })
        .map((r) => r.id)
        .sort()
    ).toEqual([trained, imported, wrapped])
  })

  it('leaves archived runs out unless asked', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a' })
    const b = addRun(lab.db, { name: 'b' })
    setArchived(lab.db, [a], true)
    expect(selectRuns(lab.db, {}).map((r) => r.id)).toEqual([b])
    expect(selectRuns(lab.db, { includeArchived: true }).map((r) => r.id)).toEqual([b, a])
  })
})

describe('compareRuns', () => {
  it('aligns configs on the union of keys and marks exactly the keys that differ', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', config: baseConfig({ optimizer: { kind: 'sgd', lr: 0.1 } }) })
    const b = addRun(lab.db, { name: 'b', config: baseConfig({ optimizer: { kind: 'sgd', lr: 0.01 }, labelSmoothing: 0.1 }) })
    const cmp = compareRuns(lab.db, { ids: [a, b] })
    const row = (key: string) => cmp.config.find((c) => c.key === key)
    expect(row('optimizer.lr')).toEqual({ key: 'optimizer.lr', values: [0.1, 0.01], differs: true })
    expect(row('labelSmoothing')).toEqual({ key: 'labelSmoothing', values: [null, 0.1], differs: true })
    expect(row('model.arch')).toEqual({ key: 'model.arch', values: ['cnn-small', 'cnn-small'], differs: false })
    expect(
      cmp.config
        .filter((c) => c.differs)
        .map((c) => c.key)
        .sort()
    ).toEqual(['labelSmoothing', 'optimizer.lr'])
  })

  it('returns final metrics and series, downsampled to maxPoints with the extremes kept', () => {
    lab = freshLog()
    const long = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50))
    long[3333] = 42 // a spike that a chart must still show
    const a = addRun(lab.db, { name: 'long', metrics: { loss: long, acc: [0.1, 0.7] } })
    const cmp = compareRuns(lab.db, { ids: [a], maxPoints: 100 })
    const loss = cmp.series[0].series.find((s) => s.name === 'loss')!
    expect(loss.values.length).toBeLessThanOrEqual(100)
    expect(Math.max(...loss.values)).toBe(42)
    expect(loss.steps.at(-1)).toBe(4999)
    expect(cmp.finalMetrics).toEqual([
      { name: 'acc', values: [0.7] },
      { name: 'loss', values: [long[4999]] }
    ])
    expect(compareRuns(lab.db, { ids: [a], metrics: ['acc'] }).series[0].series.map((s) => s.name)).toEqual(['acc'])
  })

  it('rebuilds a stale digest when a run finishes again (resume) and reads a running run live', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'r', metrics: { loss: Array.from({ length: DIGEST_POINTS * 2 }, (_, i) => i) } })
    expect(compareRuns(lab.db, { ids: [a] }).finalMetrics[0].values).toEqual([DIGEST_POINTS * 2 - 1])
    setRunStatus(lab.db, a, 'running')
    const w = new MetricWriter(lab.db)
    w.add(a, [{ name: 'loss', step: DIGEST_POINTS * 2, value: -5 }])
    w.flush()
    expect(compareRuns(lab.db, { ids: [a] }).finalMetrics[0].values).toEqual([-5])
    // finished_at has millisecond resolution: make sure the second finish has a new stamp.
    const until = Date.now() + 2
    while (Date.now() < until) {
      // busy-wait: a timer would let other work run in between
    }
    setRunStatus(lab.db, a, 'completed')
    expect(compareRuns(lab.db, { ids: [a] }).finalMetrics[0].values).toEqual([-5])
  })

  it('aligns evaluation results per attack × ε, one value per run', () => {
    lab = freshLog()
    const { ids } = seedStudy(lab.db)
    const cmp = compareRuns(lab.db, { ids })
    expect(cmp.evaluations.map((e) => e.attack)).toEqual(['clean', 'fgsm', 'pgd', 'autoattack'])
    const fgsm = cmp.evaluations[1]
    expect(fgsm.epsilon).toBeCloseTo(8 / 255, 12)
    expect(fgsm.accuracy[0]).toBeCloseTo(0.216, 12)
    expect(cmp.runs.map((r) => r.defence)).toContain('distillation+pgd-at')
  })

  it('reports each run’s latest masking verdict', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'toy seed 0', verdict: { verdict: 'possible', fired: [8] } })
    const b = addRun(lab.db, { name: 'toy seed 1', seed: 1, verdict: { verdict: 'yes', fired: [1, 8] } })
    const c = addRun(lab.db, { name: 'baseline', config: baseConfig({ epochs: 2 }) })
    const cmp = compareRuns(lab.db, { ids: [a, b, c] })
    expect(cmp.verdicts).toEqual({
      available: true,
      perRun: [
        { runId: a, verdict: 'possible', fired: [8] },
        { runId: b, verdict: 'yes', fired: [1, 8] },
        { runId: c, verdict: null, fired: [] }
      ]
    })
  })

  it('aligns per-sample outcomes: which samples each run gets right under each attack', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', evals: [['pgd', 'Linf', 8 / 255, 0.5, 4, [true, true, false, false]]] })
    const b = addRun(lab.db, { name: 'b', evals: [['pgd', 'Linf', 8 / 255, 0.5, 4, [true, false, true, false]]] })
    const c = addRun(lab.db, { name: 'no samples', evals: [['pgd', 'Linf', 8 / 255, 0.3]] })
    const cmp = compareRuns(lab.db, { ids: [a, b, c] })
    expect(cmp.agreement.available).toBe(true)
    expect(cmp.agreement.cells).toEqual([
      {
        attack: 'pgd',
        norm: 'Linf',
        epsilon: 8 / 255,
        samples: [0, 1, 2, 3],
        correct: [[true, true, false, false], [true, false, true, false], null],
        allCorrect: 1,
        noneCorrect: 1
      }
    ])
    expect(compareRuns(lab.db, { ids: [a, b], agreement: false }).agreement.cells).toEqual([])
  })

  it('refuses an unknown run id, naming it', () => {
    lab = freshLog()
    expect(() => compareRuns(lab.db, { ids: [99] })).toThrow(/no run with id 99/)
  })
})

describe('helpers', () => {
  it('labels a group by the name its repeats share', () => {
    expect(commonLabel(['Baseline seed 0', 'Baseline seed 1'])).toBe('Baseline')
    expect(commonLabel(['lr 0.1 #1', 'lr 0.1 #2'])).toBe('lr 0.1')
    expect(commonLabel(['alpha', 'beta'])).toBe('alpha')
    // Names that are all the same are kept whole, digits and all.
    expect(commonLabel(['ResNet-18', 'ResNet-18'])).toBe('ResNet-18')
    expect(commonLabel(['ResNet-18 seed 1', 'ResNet-18 seed 2'])).toBe('ResNet-18')
  })
  it('uses the sample standard deviation', () => {
    expect(stat([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 })
    expect(stat([5])).toEqual({ mean: 5, std: 0, n: 1 })
  })
})

describe('digest downsampling', () => {
  it('reduces exactly as the chart downsampler does, on random series of many lengths', async () => {
    const { downsample } = await import('../../../src-main/lab/store/metric-series')
    const { downsampleView } = await import('../../../src-main/lab/store/metric-digests')
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(Math.random() * 3000)
      const steps = Array.from({ length: n }, (_, i) => i * 3)
      const values = Array.from({ length: n }, () => (Math.random() < 0.3 ? Math.round(Math.random() * 3) : Math.random()))
      const max = 10 + Math.floor(Math.random() * 700)
      const expected = n > max ? downsample(steps, values, max) : { steps, values }
      expect(downsampleView(Float64Array.from(steps), Float64Array.from(values), max)).toEqual(expected)
    }
  })
})

describe('buildMissingDigests', () => {
  it('digests finished runs once and again only when a run finished anew', async () => {
    const { buildMissingDigests } = await import('../../../src-main/lab/store/metric-digests')
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', metrics: { loss: [1, 2, 3] } })
    addRun(lab.db, { name: 'running', metrics: { loss: [1] }, status: 'running' })
    addRun(lab.db, { name: 'no metrics' })
    expect(buildMissingDigests(lab.db)).toBe(1)
    expect(buildMissingDigests(lab.db)).toBe(0)
    lab.db.prepare("UPDATE runs SET finished_at = '2099-01-01T00:00:00.000Z' WHERE id = ?").run(a)
    expect(buildMissingDigests(lab.db)).toBe(1)
    expect(compareRuns(lab.db, { ids: [a] }).finalMetrics).toEqual([{ name: 'loss', values: [3] }])
  })
})
