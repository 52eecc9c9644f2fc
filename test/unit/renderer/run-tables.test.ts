/**
 * The Runs table and the Compare table as pure functions: rows joined from the service's answers,
 * filtering, sorting with missing values last, the worst-case robust accuracy, the seed-shaped
 * table with its best cells, per-sample agreement, ε grids and the wizards' helpers.
 */
import { describe, expect, it } from 'vitest'
import type { RunSummary } from '@api/runs'
import type { ComparedRun } from '@api/compare'
import type { RunHeadline } from '@api/results-table'
import { loadRenderer } from './loadRenderer'

interface RunRow { id: number; name: string; status: string; dataset: string | null; defence: string; tags: string[]; cleanAccuracy: number | null; robustAccuracy: number | null; robustLabel: string | null; verdict: string | null; progress: unknown }
const rows = await loadRenderer<{
  buildRows(s: RunSummary[], f: ComparedRun[], h: RunHeadline[] | null, live?: Record<number, unknown>): RunRow[]
  filterRows(r: RunRow[], f: Record<string, string>): RunRow[]
  sortRows(r: RunRow[], key: string, dir: 'asc' | 'desc'): RunRow[]
  EMPTY_FILTER: Record<string, string>
}>('runs/rows')
const compare = await loadRenderer<{
  onlyOneRight(cell: { correct: (boolean[] | null)[] }): number[]
}>('runs/compareTable')
const format = await loadRenderer<{ meanStd(mean: number | null, std: number, n: number, of?: number): string }>('runs/format')
const forms = await loadRenderer<{ parseEpsilonList(t: string): number[] | null; errorsFor(e: Record<string, string>, p: string[]): Record<string, string>; fieldErrors(schema: unknown, v: unknown): Record<string, string> }>('forms/issues')
const defaults = await loadRenderer<{ dataKind(d: unknown): string; epsilonGrid(k: string, norm?: string): string; temperatureAdvice(t: number): { tone: string; key: string } }>('wizards/defaults')
const repeat = await loadRenderer<{ withSeed(kind: string, config: Record<string, unknown>, seed: number): Record<string, any>; nextSeed(s: number[]): number }>('runs/repeat')
const { TrainConfigSchema } = await import('@api/train')

function summary(id: number, status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary {
  return { id, projectId: null, datasetId: 1, name: `run ${id}`, kind: 'train', status, seed: 0, backend: 'wasm', configHash: `h${id}`, error: null, createdAt: '', startedAt: null, finishedAt: null, progress: null, ...extra }
}
function filed(id: number, extra: Partial<ComparedRun> = {}): ComparedRun {
  return { id, name: `run ${id}`, kind: 'train', status: 'completed', seed: 0, configHash: `h${id}`, createdAt: '', dataset: 'mnist', arch: 'cnn-small', defence: 'none', tags: [], note: '', starred: false, archived: false, ...extra }
}

describe('Runs table rows', () => {
  const summaries = [summary(1, 'completed'), summary(2, 'completed'), summary(3, 'running', { progress: { phase: 'train', step: 1, total: 10, etaSeconds: 5 } })]
  // The service's headlines (results.table): the Runs table shows them as they come, computing nothing.
  const headlines: RunHeadline[] = [
    { runId: 1, clean: 0.9, robust: { accuracy: 0.05, attack: 'pgd', norm: 'Linf', epsilon: 0.3, label: 'PGD (ε=0.3)' }, verdict: 'no' },
    { runId: 2, clean: 0.8, robust: { accuracy: 0.5, attack: 'fgsm', norm: 'Linf', epsilon: 0.1, label: 'FGSM (ε=0.1)' }, verdict: null },
    { runId: 3, clean: null, robust: null, verdict: null }
  ]
  const built = rows.buildRows(summaries, [filed(1, { tags: ['seed-study'] }), filed(2, { dataset: 'fashion-mnist', defence: 'pgd-at' }), filed(3)], headlines, { 3: { phase: 'train', step: 4, total: 10, etaSeconds: 2 } })

  it('joins the service’s clean accuracy, robust accuracy and verdict to each run', () => {
    expect(built.map((r) => [r.id, r.cleanAccuracy, r.robustAccuracy, r.verdict])).toEqual([
      [1, 0.9, 0.05, 'no'],
      [2, 0.8, 0.5, null],
      [3, null, null, null]
    ])
    expect(built[0].robustLabel).toBe('PGD (ε=0.3)')
  })

  it('a running run shows the newest streamed progress, a finished one none', () => {
    expect(built[2].progress).toEqual({ phase: 'train', step: 4, total: 10, etaSeconds: 2 })
    expect(built[0].progress).toBeNull()
  })

  it('filters by status, dataset, defence, tag and free text', () => {
    const ids = (f: Record<string, string>) => rows.filterRows(built, { ...rows.EMPTY_FILTER, ...f }).map((r) => r.id)
    expect(ids({ status: 'running' })).toEqual([3])
    expect(ids({ dataset: 'fashion-mnist' })).toEqual([2])
    expect(ids({ defence: 'none' })).toEqual([1, 3])
    expect(ids({ tag: 'seed-study' })).toEqual([1])
    expect(ids({ text: 'SEED' })).toEqual([1])
    expect(ids({ text: '2' })).toEqual([2])
  })

  it('sorts by a column in both directions with missing values always last', () => {
    expect(rows.sortRows(built, 'cleanAccuracy', 'desc').map((r) => r.id)).toEqual([1, 2, 3])
    expect(rows.sortRows(built, 'cleanAccuracy', 'asc').map((r) => r.id)).toEqual([2, 1, 3])
    expect(rows.sortRows(built, 'robustAccuracy', 'asc').map((r) => r.id)).toEqual([1, 2, 3])
  })
})

describe('numbers on screen', () => {
  it('writes mean ± std in the results table’s words: ± only from two values, and how many repeats lack one', () => {
    expect(format.meanStd(0.95, 0, 1)).toBe('95.0%')
    expect(format.meanStd(0.934, 0.002, 3)).toBe('93.4% ± 0.2%')
    expect(format.meanStd(0.05, 0, 1, 2)).toBe('5.0% (1 of 2 runs)')
    expect(format.meanStd(null, 0, 0)).toBe('—')
  })
})

describe('Compare agreement', () => {
  it('counts the samples only one model gets right', () => {
    expect(compare.onlyOneRight({ correct: [[true, true, false, false], [false, true, true, false], null] })).toEqual([1, 1, 0])
  })
})

describe('wizard helpers', () => {
  it('reads ε grids written as numbers or fractions, and refuses anything else', () => {
    expect(forms.parseEpsilonList('2/255, 4/255 8/255')).toEqual([2 / 255, 4 / 255, 8 / 255])
    expect(forms.parseEpsilonList('0.1,0.2,0.3')).toEqual([0.1, 0.2, 0.3])
    expect(forms.parseEpsilonList('0.1, eight')).toBeNull()
    expect(forms.parseEpsilonList('  ')).toBeNull()
  })

  it('field errors come from the contract schema and are filtered to one step', () => {
    const errors = forms.fieldErrors(TrainConfigSchema, { dataset: 'mnist', model: { arch: 'cnn-small' }, epochs: 0, optimizer: { kind: 'sgd', lr: -1 } })
    expect(Object.keys(errors).sort()).toEqual(['epochs', 'optimizer.lr'])
    expect(forms.errorsFor(errors, ['optimizer'])).toEqual({ 'optimizer.lr': errors['optimizer.lr'] })
  })

  it('defaults follow the data: 0.1/0.2/0.3 for MNIST-like, 2/4/8 ⁄ 255 for CIFAR-like', () => {
    const mnist = defaults.dataKind({ shape: { height: 28, width: 28, channels: 1 } })
    const cifar = defaults.dataKind({ shape: { height: 32, width: 32, channels: 3 } })
    expect([mnist, cifar]).toEqual(['mnist-like', 'cifar-like'])
    expect(defaults.epsilonGrid(mnist)).toBe('0.1, 0.2, 0.3')
    expect(defaults.epsilonGrid(cifar)).toBe('2/255, 4/255, 8/255')
    expect(defaults.epsilonGrid(mnist, 'L2')).toBe('1, 2, 3')
  })

  it('gives the seed study’s advice on the distillation temperature', () => {
    expect([3, 10, 20, 50].map((t) => defaults.temperatureAdvice(t).key.split('.').pop())).toEqual(['adviceLow', 'adviceMid', 'adviceBest', 'adviceHigh'])
  })

  it('a repeat changes only the seed (the student’s and teacher’s for a distillation) and drops what the service added', () => {
    const config = { dataset: 'mnist', epochs: 1, seed: 0 }
    expect(repeat.withSeed('train', config, 4)).toEqual({ dataset: 'mnist', epochs: 1, seed: 4 })
    const distilled = repeat.withSeed('distill', { student: { seed: 0, epochs: 1 }, teacher: { seed: 0 }, temperature: 20 }, 2)
    expect([distilled.student.seed, distilled.teacher.seed, distilled.temperature]).toEqual([2, 2, 20])
    expect(repeat.withSeed('sweep', { runIds: [1], targetRunIds: [1], seed: 0 }, 1)).toEqual({ runIds: [1], seed: 1 })
    expect(repeat.nextSeed([0, 3, 1])).toBe(4)
  })
})
