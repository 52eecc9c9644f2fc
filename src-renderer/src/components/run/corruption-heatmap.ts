/**
 * The corruption heat map's data and ECharts option, apart from the component so it can be tested:
 * rows are corruptions (in the catalogue's order), columns severities 1–5 — one block of five per
 * run when several are compared — and each cell the accuracy filed by the corruption evaluation
 * (the results-table numbers; nothing is recomputed here).
 */
import { CORRUPTION_IDS, CORRUPTION_MEAN, CORRUPTION_NORM, SEVERITIES } from '@api/corruption-names'
import type { EvaluationRow } from '@api/evaluation'

export interface HeatmapCell {
  attack: string
  norm: string
  epsilon: number
  /** Per run, in the order of `runs`; null where the run has no such result. */
  accuracy: Array<number | null>
}

export interface HeatmapData {
  corruptions: string[]
  /** Column labels: the severity, prefixed by the run's name when several runs are shown. */
  columns: string[]
  /** [column, row, accuracy in %] — ECharts' heat-map triples; missing cells are left out. */
  values: Array<[number, number, number]>
}

export function heatmapData(cells: readonly HeatmapCell[], runNames: readonly string[]): HeatmapData {
  const present = new Set(cells.filter((c) => c.norm === CORRUPTION_NORM).map((c) => c.attack))
  const corruptions = CORRUPTION_IDS.filter((id) => present.has(id))
  const columns = runNames.flatMap((name) => SEVERITIES.map((s) => (runNames.length > 1 ? `${name} · ${s}` : String(s))))
  const values: Array<[number, number, number]> = []
  for (const cell of cells) {
    const row = corruptions.indexOf(cell.attack as (typeof corruptions)[number])
    const severity = SEVERITIES.indexOf(cell.epsilon as 1)
    if (cell.norm !== CORRUPTION_NORM || row < 0 || severity < 0) continue
    cell.accuracy.forEach((a, run) => {
      if (a !== null) values.push([run * SEVERITIES.length + severity, row, Math.round(a * 1000) / 10])
    })
  }
  return { corruptions, columns, values }
}

export function heatmapOption(
  data: HeatmapData,
  names: { corruption: (id: string) => string; severity: string; accuracy: string },
  colors: [string, string]
) {
  return {
    tooltip: { position: 'top' },
    grid: { left: 130, right: 20, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: data.columns, name: names.severity, nameLocation: 'middle', nameGap: 30, splitArea: { show: true } },
    yAxis: { type: 'category', data: data.corruptions.map(names.corruption), inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: 100,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      text: ['100%', '0%'],
      inRange: { color: colors }
    },
    series: [
      {
        type: 'heatmap',
        name: names.accuracy,
        data: data.values,
        label: { show: true, formatter: (p: { value: [number, number, number] }) => `${p.value[2]}` }
      }
    ]
  }
}

/**
 * One run's evaluation rows as heat-map cells: per corruption × severity its latest complete
 * result, as the results table takes it (the latest evaluation of a cell that completed).
 */
export function cellsFromRows(rows: readonly EvaluationRow[]): HeatmapCell[] {
  const latest = new Map<string, EvaluationRow>()
  for (const r of rows) {
    if (r.norm !== CORRUPTION_NORM || r.partialStatus) continue
    const key = `${r.attack}|${r.epsilon}`
    const seen = latest.get(key)
    if (!seen || r.createdAt > seen.createdAt) latest.set(key, r)
  }
  return [...latest.values()].map((r) => ({ attack: r.attack, norm: r.norm, epsilon: r.epsilon, accuracy: [r.accuracy] }))
}

/** Per run, the filed mean over every corruption × severity (null where there is none). */
export function meansOf(cells: readonly HeatmapCell[], runs: number): Array<number | null> {
  const mean = cells.find((c) => c.norm === CORRUPTION_NORM && c.attack === CORRUPTION_MEAN)
  return Array.from({ length: runs }, (_, i) => mean?.accuracy[i] ?? null)
}
