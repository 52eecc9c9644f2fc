/**
 * The chart option builders: which series go on which chart, how streamed points are appended and
 * capped, and how ε-curves and parallel coordinates are laid out from the service's data.
 */
import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '@api/runs'
import type { EvaluationRow } from '@api/evaluation'
import { loadRenderer } from './loadRenderer'

type Option = Record<string, any>
interface OptionsModule {
  trainingCurvesOption(series: MetricSeries[], titles: Record<string, string>, axis: 'loss' | 'accuracy' | 'lr'): Option
  appendPoints(series: MetricSeries[], points: { name: string; step: number; value: number }[]): MetricSeries[]
  capSeries(series: MetricSeries[], maxPoints: number): MetricSeries[]
  epsilonCurveOption(lines: { label: string; points: { epsilon: number; accuracy: number }[] }[], titles: Record<string, string>): Option
  curveLinesFromRows(rows: EvaluationRow[]): { label: string; points: { epsilon: number; accuracy: number }[] }[]
  overlayOption(runs: { label: string; series: MetricSeries | undefined }[], titles: Record<string, string>): Option
  parallelOption(runs: { label: string; values: Record<string, number | null> }[], axes: string[]): Option
}
const charts = await loadRenderer<OptionsModule>('charts/options')
const titles = { step: 'step', loss: 'loss', accuracy: 'accuracy', lr: 'lr' }

const series = (name: string, values: number[], firstStep = 1): MetricSeries => ({
  name,
  steps: values.map((_, i) => firstStep + i),
  values
})

function row(attack: string, epsilon: number, accuracy: number): EvaluationRow {
  return {
    runId: 1,
    attack,
    norm: 'Linf',
    epsilon,
    n: 100,
    accuracy,
    std: 0,
    seeds: 1,
    cleanAccuracy: null,
    drop: null,
    relativeDrop: null,
    resultIds: [],
    evalRunId: null,
    params: {},
    createdAt: ''
  }
}

describe('training curves', () => {
  const all = [
    series('train/loss', [2, 1.5, 1]),
    series('test/loss', [1.2]),
    series('train/accuracy', [0.4]),
    series('test/accuracy', [0.7]),
    series('lr', [0.1, 0.05, 0.01]),
    series('train/batch_accuracy', [])
  ]

  it('the loss chart shows only loss series, as step/value pairs', () => {
    const option = charts.trainingCurvesOption(all, titles, 'loss')
    expect(option.series.map((s: Option) => s.name)).toEqual(['train/loss', 'test/loss'])
    expect(option.series[0].data).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 1]
    ])
  })

  it('accuracy is drawn on a fixed 0–1 axis and empty series are left out', () => {
    const option = charts.trainingCurvesOption(all, titles, 'accuracy')
    expect(option.series.map((s: Option) => s.name)).toEqual(['train/accuracy', 'test/accuracy'])
    expect(option.yAxis).toMatchObject({ min: 0, max: 1 })
  })

  it('a single point (one evaluation per epoch) is drawn as a visible symbol', () => {
    const option = charts.trainingCurvesOption(all, titles, 'accuracy')
    expect(option.series[1].showSymbol).toBe(true)
    expect(charts.trainingCurvesOption(all, titles, 'loss').series[0].showSymbol).toBe(false)
  })

  it('the learning rate uses a logarithmic axis (cosine decay spans decades)', () => {
    expect(charts.trainingCurvesOption(all, titles, 'lr').yAxis.type).toBe('log')
  })
})

describe('live points', () => {
  it('streamed points are appended to their series, and a new metric starts a new series', () => {
    const before = [series('train/loss', [2, 1.5])]
    const after = charts.appendPoints(before, [
      { name: 'train/loss', step: 3, value: 1.2 },
      { name: 'test/accuracy', step: 3, value: 0.8 }
    ])
    expect(after).toEqual([series('train/loss', [2, 1.5, 1.2]), { name: 'test/accuracy', steps: [3], values: [0.8] }])
    expect(before[0].values).toEqual([2, 1.5]) // the store's old value is not mutated
  })

  it('a series past the cap is halved and keeps a spike', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 17 ? 9 : 1))
    const [capped] = charts.capSeries([series('train/loss', values)], 30)
    expect(capped.values.length).toBe(20)
    expect(capped.values).toContain(9)
    expect(capped.steps).toContain(18)
  })

  it('a series within the cap is returned as it was', () => {
    const s = series('lr', [1, 2, 3])
    expect(charts.capSeries([s], 30)[0]).toBe(s)
  })
})

describe('ε-curves', () => {
  it('one line per attack, starting at the clean accuracy at ε = 0, points in ε order', () => {
    const lines = charts.curveLinesFromRows([row('pgd', 0.3, 0.01), row('clean', 0, 0.9), row('fgsm', 0.1, 0.6), row('pgd', 0.1, 0.5)])
    expect(lines).toEqual([
      {
        label: 'pgd (Linf)',
        points: [
          { epsilon: 0, accuracy: 0.9 },
          { epsilon: 0.3, accuracy: 0.01, std: 0 },
          { epsilon: 0.1, accuracy: 0.5, std: 0 }
        ]
      },
      {
        label: 'fgsm (Linf)',
        points: [
          { epsilon: 0, accuracy: 0.9 },
          { epsilon: 0.1, accuracy: 0.6, std: 0 }
        ]
      }
    ])
    const option = charts.epsilonCurveOption(lines, { epsilon: 'ε', accuracy: 'accuracy' })
    expect(option.series[0].data).toEqual([
      [0, 0.9],
      [0.1, 0.5],
      [0.3, 0.01]
    ])
    expect(option.xAxis.axisLabel.formatter(8 / 255)).toBe('8/255')
  })

  it('overlaid runs without the metric are left out of the chart', () => {
    const option = charts.overlayOption(
      [
        { label: '#1', series: series('test/accuracy', [0.7]) },
        { label: '#2', series: undefined }
      ],
      { step: 'step', value: 'acc' }
    )
    expect(option.legend.data).toEqual(['#1'])
  })
})

describe('parallel coordinates', () => {
  it('one axis per key and one line per run, missing values as null', () => {
    const option = charts.parallelOption(
      [
        { label: '#1', values: { 'optimizer.lr': 0.1, 'test/accuracy': 0.9 } },
        { label: '#2', values: { 'optimizer.lr': null, 'test/accuracy': 0.8 } }
      ],
      ['optimizer.lr', 'test/accuracy']
    )
    expect(option.parallelAxis.map((a: Option) => [a.dim, a.name])).toEqual([
      [0, 'optimizer.lr'],
      [1, 'test/accuracy']
    ])
    expect(option.series[0].data).toEqual([
      { name: '#1', value: [0.1, 0.9] },
      { name: '#2', value: [null, 0.8] }
    ])
  })
})

describe('confusion matrix', () => {
  const m = charts as unknown as {
    confusionMatrix(s: { label: number; prediction: number }[], n: number): number[][]
    confusionOption(m: number[][], c: string[], t: Record<string, string>): Option
  }

  it('counts each (true, predicted) pair in its cell and ignores labels outside the classes', () => {
    const matrix = m.confusionMatrix(
      [
        { label: 0, prediction: 0 },
        { label: 0, prediction: 1 },
        { label: 1, prediction: 1 },
        { label: 1, prediction: 1 },
        { label: 5, prediction: 0 }
      ],
      2
    )
    expect(matrix).toEqual([
      [1, 1],
      [0, 2]
    ])
  })

  it('draws predicted across and true class down, colour scaled to the largest cell', () => {
    const option = m.confusionOption(
      [
        [1, 1],
        [0, 2]
      ],
      ['cat', 'dog'],
      { predicted: 'predicted', actual: 'true' }
    )
    expect(option.series[0].data).toEqual([
      [0, 0, 1],
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 2]
    ])
    expect(option.visualMap.max).toBe(2)
    expect(option.xAxis.data).toEqual(['cat', 'dog'])
  })
})
