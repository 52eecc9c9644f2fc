/**
 * The Compare table and the wizards as pure functions: numbers as the screens write them,
 * per-sample agreement, ε grids and the wizards' helpers (the Runs table: runs-table.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { loadRenderer } from './loadRenderer'

const compare = await loadRenderer<{
  onlyOneRight(cell: { correct: (boolean[] | null)[] }): number[]
}>('runs/compareTable')
const format = await loadRenderer<{ meanStd(mean: number | null, std: number, n: number, of?: number): string }>('runs/format')
const forms = await loadRenderer<{
  parseEpsilonList(t: string): number[] | null
  errorsFor(e: Record<string, string>, p: string[]): Record<string, string>
  fieldErrors(schema: unknown, v: unknown): Record<string, string>
}>('forms/issues')
const defaults = await loadRenderer<{
  dataKind(d: unknown): string
  epsilonGrid(k: string, norm?: string): string
  temperatureAdvice(t: number): { tone: string; key: string }
}>('wizards/defaults')
const repeat = await loadRenderer<{
  withSeed(kind: string, config: Record<string, unknown>, seed: number): Record<string, any>
  nextSeed(s: number[]): number
}>('runs/repeat')
const { TrainConfigSchema } = await import('@api/train')

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
    const errors = forms.fieldErrors(TrainConfigSchema, {
      dataset: 'mnist',
      model: { arch: 'cnn-small' },
      epochs: 0,
      optimizer: { kind: 'sgd', lr: -1 }
    })
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
    expect([3, 10, 20, 50].map((t) => defaults.temperatureAdvice(t).key.split('.').pop())).toEqual([
      'adviceLow',
      'adviceMid',
      'adviceBest',
      'adviceHigh'
    ])
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
