/**
 * ECharts options of the Compare screen, built from what the service returns. Pure functions: the
 * screen passes data in, tests check the option out. No ECharts legend: the screen's own series
 * picker says what is drawn, so a long list never turns into a paged legend ("1/6").
 */
import { formatEpsilon } from '@api/epsilon'
import type { CompareAxis, CompareRunPoint } from '../runs/compareAxes'

type Option = Record<string, unknown>

/** A qualitative palette (Okabe–Ito, readable for colour-blind users) shared by every compare chart. */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8C6D00', '#000000', '#7A5195', '#2F9C95']
export const colourOf = (index: number): string => SERIES_COLOURS[index % SERIES_COLOURS.length]

export interface EpsilonCurve {
  label: string
  colour: string
  points: { epsilon: number; accuracy: number }[]
}

/**
 * Accuracy against ε on a category axis of the ε values the curves have, evenly spaced: an
 * outlier run at a large ε adds one tick at the end instead of squashing every other point into
 * the left edge. One norm per chart (the caller splits L∞ and L2).
 */
export function epsilonCurvesOption(curves: EpsilonCurve[], titles: { epsilon: string; accuracy: string }): Option {
  const epsilons = [...new Set(curves.flatMap((c) => c.points.map((p) => p.epsilon)))].sort((a, b) => a - b)
  return {
    animation: false,
    grid: { left: 56, right: 20, top: 24, bottom: 44 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—') },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      name: titles.epsilon,
      nameLocation: 'middle',
      nameGap: 28,
      data: epsilons.map((e) => formatEpsilon(e))
    },
    yAxis: { type: 'value', name: titles.accuracy, min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: curves.map((c) => ({
      name: c.label,
      type: 'line',
      showSymbol: true,
      symbolSize: 6,
      connectNulls: true,
      itemStyle: { color: c.colour },
      lineStyle: { color: c.colour },
      data: epsilons.map((e) => c.points.find((p) => p.epsilon === e)?.accuracy ?? null)
    }))
  }
}

export interface CurveSeries {
  label: string
  colour: string
  points: [number, number][]
  /** The unsmoothed points, drawn faintly behind the smoothed line (TensorBoard's way). */
  raw?: [number, number][]
}

/** Runs' series of one metric overlaid; `log` puts the value axis on a log scale. */
export function metricOverlayOption(lines: CurveSeries[], titles: { x: string; y: string }, log: boolean): Option {
  return {
    animation: false,
    grid: { left: 60, right: 20, top: 24, bottom: 44 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: titles.x, nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: log ? 'log' : 'value', name: titles.y, scale: true },
    series: lines.flatMap((line) => [
      ...(line.raw
        ? [
            {
              name: `${line.label} (raw)`,
              type: 'line',
              showSymbol: false,
              silent: true,
              lineStyle: { color: line.colour, opacity: 0.25, width: 1 },
              itemStyle: { color: line.colour },
              data: line.raw,
              tooltip: { show: false }
            }
          ]
        : []),
      {
        name: line.label,
        type: 'line',
        showSymbol: line.points.length === 1,
        sampling: 'lttb',
        lineStyle: { color: line.colour, width: 2 },
        itemStyle: { color: line.colour },
        data: line.points
      }
    ])
  }
}

/** A long key shown whole, broken over lines at dots and slashes instead of cut to "au…". */
export const axisName = (key: string): string => (key.length <= 16 ? key : key.replace(/([./])/g, '$1\n').replace(/\n$/, ''))
/** Wider than any axis name can be: ECharts otherwise cuts names to the spacing of the axes. */
const NO_TRUNCATION = { maxWidth: 10_000 }

/**
 * Parallel coordinates over the given axes (only those that vary, see runs/compareAxes.ts), one
 * line per run, coloured by the chosen result. Dragging along an axis brushes a range; the runs
 * outside it fade.
 */
export function parallelCoordinatesOption(
  axes: CompareAxis[],
  runs: CompareRunPoint[],
  colourBy: string | null,
  colours: [string, string] = ['#E69F00', '#0072B2'],
  label: (key: string) => string = (key) => key
): Option {
  const values = colourBy ? runs.map((r) => r.values[colourBy]).filter((v): v is number => typeof v === 'number') : []
  const dim = colourBy ? axes.findIndex((a) => a.key === colourBy) : -1
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string }) => p.name },
    parallel: {
      left: 48,
      right: 90,
      top: 76,
      bottom: 36,
      parallelAxisDefault: {
        nameLocation: 'end',
        nameGap: 12,
        nameTruncate: NO_TRUNCATION,
        nameTextStyle: { fontSize: 11, lineHeight: 13, width: 110, overflow: 'break' }
      }
    },
    parallelAxis: axes.map((axis, i) => ({
      dim: i,
      name: axisName(label(axis.key)),
      type: axis.numeric ? 'value' : 'category',
      ...(axis.numeric ? { scale: true } : { data: [...new Set(runs.map((r) => String(r.values[axis.key] ?? '—')))] }),
      realtime: true
    })),
    ...(dim >= 0 && values.length
      ? {
          visualMap: {
            type: 'continuous',
            show: true,
            dimension: dim,
            min: Math.min(...values),
            max: Math.max(...values),
            inRange: { color: colours },
            right: 4,
            top: 'middle',
            itemHeight: 140,
            precision: 3,
            text: [String(Number(Math.max(...values).toPrecision(3))), String(Number(Math.min(...values).toPrecision(3)))]
          }
        }
      : {}),
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 2, opacity: 0.85 },
        inactiveOpacity: 0.08,
        activeOpacity: 1,
        data: runs.map((r) => ({ name: r.label, value: axes.map((a) => (a.numeric ? r.values[a.key] : String(r.values[a.key] ?? '—'))) }))
      }
    ]
  }
}

/** One setting against one result, a point per run, labelled by run. */
export function scatterOption(
  points: { label: string; x: number | string; y: number; colour: string }[],
  titles: { x: string; y: string },
  categorical: boolean
): Option {
  const categories = categorical ? [...new Set(points.map((p) => String(p.x)))] : []
  return {
    animation: false,
    grid: { left: 60, right: 24, top: 24, bottom: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { name: string; value: [unknown, number] } }) => `${p.data.name}: ${p.data.value[0]}, ${p.data.value[1]}`
    },
    xAxis: categorical
      ? { type: 'category', data: categories, name: titles.x, nameLocation: 'middle', nameGap: 30 }
      : { type: 'value', scale: true, name: titles.x, nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value', scale: true, name: titles.y },
    series: [
      {
        type: 'scatter',
        symbolSize: 12,
        data: points.map((p) => ({ name: p.label, value: [categorical ? String(p.x) : p.x, p.y], itemStyle: { color: p.colour } }))
      }
    ]
  }
}
