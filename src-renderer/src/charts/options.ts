/**
 * ECharts options built from what the service returns (series already downsampled with maxPoints).
 * Pure functions: the screens pass data in, tests check the option out.
 */
import type { MetricSeries } from '@api/runs'
import type { EvaluationRow } from '@api/evaluation'
import { formatEpsilon } from '@api/epsilon'
import { METRICS } from '@api/metrics'

type Option = Record<string, unknown>

/** Metric names drawn on the training chart and the axis each uses. */
export const TRAINING_METRICS: { name: string; axis: 'loss' | 'accuracy' | 'lr' }[] = [
  { name: METRICS.trainLoss, axis: 'loss' },
  { name: METRICS.testLoss, axis: 'loss' },
  { name: METRICS.trainBatchAccuracy, axis: 'accuracy' },
  { name: METRICS.trainAccuracy, axis: 'accuracy' },
  { name: METRICS.testAccuracy, axis: 'accuracy' },
  { name: METRICS.learningRate, axis: 'lr' }
]

export interface AxisTitles {
  step: string
  loss: string
  accuracy: string
  lr: string
}

const points = (s: MetricSeries) => s.steps.map((step, i) => [step, s.values[i]])

/** One chart per quantity, sharing the step axis: loss, accuracy, learning rate. */
export function trainingCurvesOption(series: MetricSeries[], titles: AxisTitles, axis: 'loss' | 'accuracy' | 'lr'): Option {
  const wanted = TRAINING_METRICS.filter((m) => m.axis === axis).map((m) => m.name)
  const shown = series.filter((s) => wanted.includes(s.name) && s.steps.length > 0)
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 56, bottom: 36 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: shown.map((s) => s.name) },
    xAxis: { type: 'value', name: titles.step, nameLocation: 'middle', nameGap: 24, min: 'dataMin' },
    yAxis: {
      type: axis === 'lr' ? 'log' : 'value',
      name: titles[axis],
      scale: axis !== 'accuracy',
      ...(axis === 'accuracy' ? { min: 0, max: 1 } : {})
    },
    series: shown.map((s) => ({
      name: s.name,
      type: 'line',
      showSymbol: s.steps.length === 1,
      symbolSize: 6,
      sampling: 'lttb',
      data: points(s)
    }))
  }
}

/** Appends streamed points to the series in place of a re-read (the chart updates live). */
/**
 * Streamed points merged into the series: steps stay in order and each step has one point, the
 * latest. A resumed run sends again the steps after its checkpoint; appended, they were drawn twice.
 */
export function appendPoints(series: MetricSeries[], incoming: { name: string; step: number; value: number }[]): MetricSeries[] {
  const byName = new Map(series.map((s) => [s.name, { name: s.name, steps: [...s.steps], values: [...s.values] }]))
  for (const p of incoming) {
    const target = byName.get(p.name) ?? { name: p.name, steps: [], values: [] }
    const { steps, values } = target
    if (steps.length === 0 || p.step > steps[steps.length - 1]) {
      steps.push(p.step)
      values.push(p.value)
    } else {
      let i = 0
      for (let hi = steps.length; i < hi;) {
        const mid = (i + hi) >> 1
        if (steps[mid] < p.step) i = mid + 1
        else hi = mid
      }
      if (steps[i] === p.step) values[i] = p.value
      else {
        steps.splice(i, 0, p.step)
        values.splice(i, 0, p.value)
      }
    }
    byName.set(p.name, target)
  }
  return [...byName.values()]
}

/**
 * Halves a series that grew past maxPoints while streaming (so a long live run never slows the
 * chart). Of each pair it keeps the point farther from the last kept value, so spikes survive.
 */
export function capSeries(series: MetricSeries[], maxPoints: number): MetricSeries[] {
  return series.map((s) => {
    if (s.steps.length <= maxPoints) return s
    const steps: number[] = []
    const values: number[] = []
    for (let i = 0; i < s.steps.length; i += 2) {
      const j = Math.min(i + 1, s.steps.length - 1)
      const last = values.length ? values[values.length - 1] : s.values[i]
      const pick = Math.abs(s.values[i] - last) > Math.abs(s.values[j] - last) ? i : j
      steps.push(s.steps[pick])
      values.push(s.values[pick])
    }
    return { name: s.name, steps, values }
  })
}

export interface CurveLine {
  label: string
  points: { epsilon: number; accuracy: number; std?: number }[]
}

/** Accuracy against ε, one line per attack (run detail) or per run × attack (compare). */
export function epsilonCurveOption(lines: CurveLine[], titles: { epsilon: string; accuracy: string }): Option {
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 56, bottom: 40 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll', data: lines.map((l) => l.label) },
    xAxis: {
      type: 'value',
      name: titles.epsilon,
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      axisLabel: { formatter: (v: number) => formatEpsilon(v) }
    },
    yAxis: { type: 'value', name: titles.accuracy, min: 0, max: 1 },
    series: lines.map((line) => ({
      name: line.label,
      type: 'line',
      showSymbol: true,
      symbolSize: 7,
      data: [...line.points].sort((a, b) => a.epsilon - b.epsilon).map((p) => [p.epsilon, p.accuracy])
    }))
  }
}

/** Lines of an ε-curve from evaluation rows: one per attack × norm, clean accuracy at ε = 0. */
export function curveLinesFromRows(rows: EvaluationRow[]): CurveLine[] {
  const clean = rows.find((r) => r.attack === 'clean')
  const lines = new Map<string, CurveLine>()
  for (const row of rows) {
    if (row.attack === 'clean') continue
    const label = `${row.attack} (${row.norm})`
    const line = lines.get(label) ?? { label, points: clean ? [{ epsilon: 0, accuracy: clean.accuracy }] : [] }
    line.points.push({ epsilon: row.epsilon, accuracy: row.accuracy, std: row.std })
    lines.set(label, line)
  }
  return [...lines.values()]
}

/** Several runs' series of one metric overlaid, labelled by run. */
export function overlayOption(
  runs: { label: string; series: MetricSeries | undefined }[],
  titles: { step: string; value: string }
): Option {
  const shown = runs.filter((r) => r.series && r.series.steps.length > 0)
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 56, bottom: 36 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll', data: shown.map((r) => r.label) },
    xAxis: { type: 'value', name: titles.step, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', name: titles.value, scale: true },
    series: shown.map((r) => ({
      name: r.label,
      type: 'line',
      showSymbol: r.series!.steps.length === 1,
      sampling: 'lttb',
      data: points(r.series!)
    }))
  }
}

/** Parallel coordinates: numeric hyper-parameters and metrics as axes, one line per run. */
export function parallelOption(runs: { label: string; values: Record<string, number | null> }[], axes: string[]): Option {
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    parallelAxis: axes.map((name, dim) => ({ dim, name, nameRotate: 20, scale: true })),
    parallel: { left: 48, right: 64, top: 56, bottom: 32 },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 2, opacity: 0.8 },
        data: runs.map((r) => ({ name: r.label, value: axes.map((a) => r.values[a] ?? null) }))
      }
    ]
  }
}

/** Counts of (true class, predicted class) pairs: rows are true classes, columns predictions. */
export function confusionMatrix(samples: { label: number; prediction: number }[], classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0))
  for (const s of samples) if (s.label < classCount && s.prediction < classCount) matrix[s.label][s.prediction]++
  return matrix
}

/** A heatmap of the confusion matrix: predicted class across, true class down (first class on top). */
/** `colors`: the low and high end of the scale, read from the theme's CSS variables by the caller. */
export function confusionOption(
  matrix: number[][],
  classes: string[],
  titles: { predicted: string; actual: string },
  colors: [string, string] = ['#f0f3f8', '#3451c7']
): Option {
  const data: [number, number, number][] = []
  matrix.forEach((row, actual) => row.forEach((count, predicted) => data.push([predicted, actual, count])))
  const max = Math.max(1, ...data.map((d) => d[2]))
  return {
    animation: false,
    tooltip: { position: 'top' },
    grid: { left: 90, right: 24, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: classes, name: titles.predicted, nameLocation: 'middle', nameGap: 36, splitArea: { show: true } },
    yAxis: { type: 'category', data: classes, name: titles.actual, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, show: false, inRange: { color: colors } },
    series: [{ type: 'heatmap', data, label: { show: classes.length <= 12 } }]
  }
}
