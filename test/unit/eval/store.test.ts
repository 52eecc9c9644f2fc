/**
 * Evaluations in the log: results are read per model run × attack × norm × ε as mean ± std over the
 * seeds of the latest evaluation that measured them, with δ against clean accuracy; per-sample
 * outcomes and the latest verdict come back as written.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { openLog } from '../../../src-main/lab/store/open'
import { createRun } from '../../../src-main/lab/store/runs'
import {
  latestVerdict,
  latestVerdicts,
  listEvaluations,
  listSampleOutcomes,
  summariseRepeats,
  writeEvalRecord,
  type EvalRecord
} from '../../../src-main/lab/store/evaluations'
import { PixelAmountSchema } from '../../../src-main/api/epsilon'
import { accuracyDrop, meanStd, perturbationNorms } from '../../../src-main/lab/eval/metrics'
import { defaultCurve } from '../../../src-main/lab/eval/budgets'
import { tempDir } from '../../support/temp'

const t = tempDir('eval-store')
afterAll(() => t.cleanup())
const { db } = openLog(t.dir)
const model = createRun(db, { name: 'model', kind: 'train', config: {}, seed: 0 })
const evalA = createRun(db, { name: 'eval a', kind: 'eval', config: {}, seed: 0 })
const evalB = createRun(db, { name: 'eval b', kind: 'eval', config: {}, seed: 0 })

const result = (attack: string, epsilon: number, seed: number, accuracy: number, clean = 0.9): EvalRecord => ({
  type: 'result',
  runId: model,
  attack,
  norm: 'Linf',
  epsilon,
  seed,
  n: 4,
  accuracy,
  cleanAccuracy: clean,
  params: { steps: 10 },
  seconds: 1
})

describe('evaluation results in the log', () => {
  it('aggregates seeds to mean ± std, with the drop from clean accuracy', () => {
    writeEvalRecord(db, evalA, result('pgd', 0.3, 0, 0.4))
    writeEvalRecord(db, evalA, result('pgd', 0.3, 1, 0.5))
    writeEvalRecord(db, evalA, result('pgd', 0.3, 2, 0.6))
    const [row] = listEvaluations(db, model)
    expect(row).toMatchObject({ attack: 'pgd', norm: 'Linf', epsilon: 0.3, seeds: 3, evalRunId: evalA, cleanAccuracy: 0.9 })
    expect(row.accuracy).toBeCloseTo(0.5, 10)
    expect(row.std).toBeCloseTo(0.1, 10)
    expect(row.drop).toBeCloseTo(0.4, 10)
    expect(row.relativeDrop).toBeCloseTo(0.4 / 0.9, 10)
  })

  it('a newer evaluation of the same attack and ε supersedes the older one', () => {
    writeEvalRecord(db, evalB, result('pgd', 0.3, 0, 0.2))
    const rows = listEvaluations(db, model).filter((r) => r.attack === 'pgd')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ accuracy: 0.2, seeds: 1, evalRunId: evalB })
  })

  it('keeps per-sample outcomes, with the perturbation norm only where the attack gave one', () => {
    const id = writeEvalRecord(db, evalB, {
      ...result('fgsm', 0.3, 0, 0.5),
      samples: {
        indices: Int32Array.from([10, 20, 30, 40]),
        labels: Int32Array.from([1, 2, 3, 4]),
        cleanPredictions: Int32Array.from([1, 2, 3, 0]),
        adversarialPredictions: Int32Array.from([1, 5, 3, 0]),
        perturbationNorms: Float32Array.from([0.25, 0.5, NaN, 0.125])
      }
    } as EvalRecord)
    const samples = listSampleOutcomes(db, id)
    expect(samples.map((s) => [s.sampleIndex, s.cleanCorrect, s.adversarialCorrect, s.perturbationNorm])).toEqual([
      [10, true, true, 0.25],
      [20, true, false, 0.5],
      [30, true, true, null],
      [40, false, false, 0.125]
    ])
  })

  it('returns the latest verdict of each model run with its checks', () => {
    writeEvalRecord(db, evalA, { type: 'verdict', runId: model, verdict: 'possible', fired: [5], checks: [] })
    writeEvalRecord(db, evalB, {
      type: 'verdict',
      runId: model,
      verdict: 'yes',
      fired: [2, 4],
      checks: [{ id: 2, name: 'x', status: 'fired', strength: 'strong', summary: 's', numbers: { a: 1 } }]
    })
    expect(latestVerdict(db, model)).toMatchObject({
      verdict: 'yes',
      fired: [2, 4],
      evalRunId: evalB,
      checks: [{ id: 2, numbers: { a: 1 } }]
    })
    expect(latestVerdicts(db).map((v) => v.verdict)).toEqual(['yes'])
    expect(latestVerdicts(db, [evalA])).toEqual([])
  })
})

describe('repeats of an experiment', () => {
  it('reports mean ± std over model runs of what every run was evaluated on', () => {
    const runs = [0.2, 0.3, 0.4].map((acc, i) => {
      const id = createRun(db, { name: `repeat ${i}`, kind: 'train', config: { same: true }, seed: i })
      const ev = createRun(db, { name: `eval ${i}`, kind: 'eval', config: {}, seed: 0 })
      writeEvalRecord(db, ev, { ...result('fgsm', 8 / 255, 0, acc), runId: id } as EvalRecord)
      if (i === 0) writeEvalRecord(db, ev, { ...result('square', 8 / 255, 0, 0.5), runId: id } as EvalRecord)
      return id
    })
    const rows = summariseRepeats(db, runs)
    expect(rows.map((r) => r.attack)).toEqual(['fgsm'])
    expect(rows[0].mean).toBeCloseTo(0.3, 10)
    expect(rows[0].std).toBeCloseTo(0.1, 10)
    expect(rows[0].accuracies).toEqual([0.2, 0.3, 0.4])
  })
})

describe('metric helpers', () => {
  it('ε as the literature writes it: "8/255" is 8/255', () => {
    expect(PixelAmountSchema.parse('8/255')).toBe(8 / 255)
    expect(PixelAmountSchema.parse('0.3')).toBe(0.3)
    expect(PixelAmountSchema.safeParse('8/').success).toBe(false)
  })

  it('δ absolute and relative, mean ± sample std, achieved perturbation norms', () => {
    expect(accuracyDrop(0.934, 0.218)).toEqual({ absolute: 0.934 - 0.218, relative: (0.934 - 0.218) / 0.934 })
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 })
    const norms = perturbationNorms(Float32Array.from([0, 0, 0, 0]), Float32Array.from([0.3, -0.4, 0, 0.1]), 2, 'L2')
    expect(norms[0]).toBeCloseTo(0.5, 6)
    expect(norms[1]).toBeCloseTo(0.1, 6)
    expect(perturbationNorms(Float32Array.from([0, 0]), Float32Array.from([0.3, -0.4]), 2, 'Linf')[0]).toBeCloseTo(0.4, 6)
  })

  it('the ε-curve ascends to the sanity ε where any image can be turned grey', () => {
    expect(defaultCurve(0.3, 'Linf', 784)).toEqual([0.075, 0.15, 0.3, 0.5])
    expect(defaultCurve(8 / 255, 'Linf', 3072).at(-1)).toBe(0.5)
    expect(defaultCurve(2, 'L2', 784).at(-1)).toBeCloseTo(14, 10)
  })
})
