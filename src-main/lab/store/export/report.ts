/**
 * A self-contained HTML report of a comparison: one file with inline CSS and charts drawn as
 * inline SVG by ECharts' server-side renderer, so it opens offline in any browser and survives
 * being mailed. A PDF of it is printed by a headless Chromium where one is installed.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EChartsCoreOption } from 'echarts'
import { svgChart as drawSvgChart } from '../../svg-chart'
import type { Comparison } from '../../../api/compare'
import { APP_VERSION } from '../../version'
import { tableHeader } from './table'
import { type ResultsTable } from '../../../api/results-table'
import { cellMarkText, cellValueText, verdictText } from '../../../api/results-text'
import { formatEpsilon } from '../../../api/epsilon'

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`)
const num = (v: number | null): string =>
  v === null ? '—' : Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4)))

const WIDTH = 760
const HEIGHT = 300

const svgChart = (option: EChartsCoreOption): string => drawSvgChart(option, { width: WIDTH, height: HEIGHT })

const runLabel = (cmp: Comparison, i: number): string => `#${cmp.runs[i].id} ${cmp.runs[i].name}`

/** One chart per metric: every run's series on a shared step axis. */
function metricCharts(cmp: Comparison, maxCharts: number): string[] {
  const names = [...new Set(cmp.series.flatMap((s) => s.series.map((m) => m.name)))].sort().slice(0, maxCharts)
  return names.map((name) => {
    const series = cmp.series.map((s, i) => {
      const m = s.series.find((x) => x.name === name)
      return { type: 'line', name: runLabel(cmp, i), showSymbol: false, data: m ? m.steps.map((st, j) => [st, m.values[j]]) : [] }
    })
    const svg = svgChart({
      title: { text: name, left: 'center', textStyle: { fontSize: 13 } },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', scale: true },
      series
    })
    return `<figure>${svg}</figure>`
  })
}

/** Accuracy against ε, one chart per attack: the ε-curves that expose masking. */
function epsilonCharts(cmp: Comparison): string[] {
  const attacks = [...new Set(cmp.evaluations.filter((e) => e.epsilon > 0).map((e) => `${e.attack}|${e.norm}`))]
  return attacks.map((key) => {
    const [attack, norm] = key.split('|')
    const cells = cmp.evaluations.filter((e) => e.attack === attack && e.norm === norm).sort((a, b) => a.epsilon - b.epsilon)
    const series = cmp.runs.map((_, i) => ({
      type: 'line',
      name: runLabel(cmp, i),
      data: cells.filter((c) => c.accuracy[i] !== null).map((c) => [c.epsilon * (norm === 'Linf' ? 255 : 1), c.accuracy[i]])
    }))
    return `<figure>${svgChart({
      title: { text: `${attack} (${norm}): accuracy vs ε`, left: 'center', textStyle: { fontSize: 13 } },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: norm === 'Linf' ? 'ε × 255' : 'ε', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', min: 0, max: 1 },
      series
    })}</figure>`
  })
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #d0d4da;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f6}td.n{text-align:right}figure{margin:1em 0;break-inside:avoid}.muted{color:#5b6470}
.verdict-yes{color:#b00020;font-weight:600}.verdict-possible{color:#a05a00;font-weight:600}.differs{background:#fff5d6}
@media print{body{margin:0}h2{break-after:avoid}}`

export function renderReport(cmp: Comparison, t: ResultsTable, options: { title?: string; maxMetricCharts?: number } = {}): string {
  const title = options.title ?? `AdvLab comparison of ${cmp.runs.length} run${cmp.runs.length === 1 ? '' : 's'}`
  const verdictCell = (v: string): string => `<span class="verdict-${esc(v)}">${esc(v)}</span>`
  // The value and its marks in separate elements, the way the Compare screen shows them.
  const cell = (c: ResultsTable['rows'][number]['cells'][number]): string =>
    `<span class="value">${esc(cellValueText(c))}</span>${cellMarkText(c) ? ` <span class="mark">${esc(cellMarkText(c))}</span>` : ''}`
  const results = table(
    tableHeader(t),
    t.rows.map((r) => [esc(r.label), String(r.runIds.length), ...r.cells.map(cell), verdictCell(verdictText(r.verdict))])
  ).replace('<table>', '<table id="results">')
  const runs = table(
    ['id', 'name', 'status', 'dataset', 'model', 'defence', 'seed', 'tags', 'note'],
    cmp.runs.map((r) => [
      String(r.id),
      esc(r.name) + (r.starred ? ' ★' : ''),
      esc(r.status),
      esc(r.dataset ?? '—'),
      esc(r.arch ?? '—'),
      esc(r.defence),
      String(r.seed),
      esc(r.tags.join(', ')),
      esc(r.note)
    ])
  )
  const differing = cmp.config.filter((c) => c.differs)
  const config = differing.length
    ? table(
        ['config key', ...cmp.runs.map((r) => `#${r.id}`)],
        differing.map((c) => [
          `<code>${esc(c.key)}</code>`,
          ...c.values.map((v) => `<span class="differs">${esc(v === null ? '—' : JSON.stringify(v))}</span>`)
        ])
      )
    : '<p class="muted">The runs share one config (they differ only in seed).</p>'
  const finals = table(
    ['metric', ...cmp.runs.map((r) => `#${r.id}`)],
    cmp.finalMetrics.map((m) => [esc(m.name), ...m.values.map(num)])
  )
  const evals = cmp.evaluations.length
    ? table(
        ['attack', 'norm', 'ε', ...cmp.runs.map((r) => `#${r.id}`)],
        cmp.evaluations.map((e) => [esc(e.attack), esc(e.norm), esc(formatEpsilon(e.epsilon)), ...e.accuracy.map(pct)])
      )
    : '<p class="muted">No evaluation results for these runs yet.</p>'
  const verdicts = cmp.verdicts.available
    ? table(
        ['run', 'verdict', 'checks fired'],
        cmp.verdicts.perRun.map((v, i) => [esc(runLabel(cmp, i)), v.verdict ? verdictCell(v.verdict) : '—', esc(v.fired.join(', ') || '—')])
      )
    : `<p class="muted">Masking verdicts: ${esc(cmp.verdicts.reason ?? 'not available')}.</p>`
  const agreement = cmp.agreement.cells.length
    ? table(
        ['attack', 'norm', 'ε', 'samples', 'all runs right', 'no run right', ...cmp.runs.map((r) => `#${r.id} right`)],
        cmp.agreement.cells.map((c) => [
          esc(c.attack),
          esc(c.norm),
          esc(formatEpsilon(c.epsilon)),
          String(c.samples.length),
          String(c.allCorrect),
          String(c.noneCorrect),
          ...c.correct.map((r) => (r ? String(r.filter(Boolean).length) : '—'))
        ])
      )
    : ''
  const charts = [...metricCharts(cmp, options.maxMetricCharts ?? 8)]
  const eps = epsilonCharts(cmp)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">Written by AdvLab ${esc(APP_VERSION)} on ${esc(new Date().toISOString())}. Accuracies are on the evaluated test subset; mean ± sample std over repeats (n).</p>
<h2>Results</h2>${results}
<h2>Gradient-masking verdicts</h2>${verdicts}
<h2>Runs</h2>${runs}
<h2>Config differences</h2>${config}
<h2>Final metrics</h2>${finals}
<h2>Accuracy under attack</h2>${evals}
${agreement ? `<h2>Per-sample agreement under attack</h2>${agreement}` : ''}
${eps.length ? `<h2>ε-curves</h2>${eps.join('\n')}` : ''}
${charts.length ? `<h2>Training curves</h2>${charts.join('\n')}` : ''}
</body></html>
`
}

export const CHROMIUM_CANDIDATES = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome'
]

export function findChromium(): string | null {
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? null
}

/** Prints an HTML file to PDF with a headless Chromium (null: none here); returns why not when it cannot. */
export function printPdf(
  htmlPath: string,
  pdfPath: string,
  browser: string | null = findChromium()
): { path: string | null; note: string | null } {
  if (!browser)
    return {
      path: null,
      note: `No Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')}); open the HTML report and print it to PDF from any browser.`
    }
  const r = spawnSync(
    browser,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-pdf-header-footer',
      `--print-to-pdf=${path.resolve(pdfPath)}`,
      pathToFileURL(path.resolve(htmlPath)).href
    ],
    {
      encoding: 'utf8',
      timeout: 120_000
    }
  )
  if (r.status !== 0 || !fs.existsSync(pdfPath))
    return {
      path: null,
      note: `Chromium could not print the PDF: ${(r.stderr || r.error?.message || 'no output').trim().split('\n').pop()}`
    }
  return { path: path.resolve(pdfPath), note: null }
}
