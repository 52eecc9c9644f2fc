/**
 * One chart as an SVG string, drawn by ECharts' server-side renderer (HTML reports of comparisons
 * and studies). ECharts is loaded on the first chart, not with the lab service: importing it costs
 * about half a second of CPU, which every `lab` start would otherwise pay (bench/startup.ts).
 */
import { createRequire } from 'node:module'
import type * as ECharts from 'echarts'

let echarts: typeof ECharts | undefined

export function svgChart(option: ECharts.EChartsCoreOption, size: { width: number; height: number }): string {
  // require: a synchronous load of ECharts' single-file build (the reports are written synchronously).
  echarts ??= createRequire(import.meta.url)('echarts') as typeof ECharts
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size })
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
