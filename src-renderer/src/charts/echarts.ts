/**
 * ECharts for every screen, registered once: only the chart types and components AdvLab draws are
 * imported (tree-shaken), and `<VChart>` is available in every template.
 * Later screens: add a chart type here when they need one, not in the screen.
 */
import type { App } from 'vue'
import { use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent
} from 'echarts/components'
import VChart from 'vue-echarts'

export function registerCharts(app: App): void {
  use([
    CanvasRenderer,
    // For Compare's SVG export (charts on screen stay on canvas).
    SVGRenderer,
    LineChart,
    BarChart,
    ScatterChart,
    HeatmapChart,
    ParallelChart,
    GridComponent,
    TooltipComponent,
    LegendComponent,
    TitleComponent,
    DataZoomComponent,
    MarkLineComponent,
    ParallelComponent,
    VisualMapComponent
  ])
  app.component('VChart', VChart)
}

declare module 'vue' {
  interface GlobalComponents {
    VChart: typeof VChart
  }
}
