/**
 * The study report as Markdown, a self-contained HTML page (ε-curves drawn as inline SVG by
 * ECharts' server-side renderer, so it opens offline anywhere), CSV (the table, numbers kept
 * machine-readable) and LaTeX (a booktabs table to \input into a paper).
 */
import { svgChart } from '../svg-chart'
import type { Stat } from '../../api/compare'
import type { StudyReport, StudyReportFormat } from '../../api/studies'
import { latexEscape } from '../store/export/table'
import { formatEpsilon } from '../../api/epsilon'
import { cellValueText } from '../../api/results-text'
import { APP_VERSION } from '../version'

const pct = (v: number): string => (v * 100).toFixed(1)

export interface StudyTable {
  header: string[]
  rows: Array<{ label: string; n: number; cells: Array<Stat | null>; verdict: string }>
}

/** model / strategy | n | clean | FGSM@each ε | PGD@ε | AutoAttack@ε | suspected gradient masking. */
export function studyTable(r: StudyReport): StudyTable {
  const eps = formatEpsilon(r.plan.epsilon)
  const header = [
    'model / strategy',
    'n',
    'clean',
    ...r.plan.epsilons.map((e) => `FGSM (ε=${formatEpsilon(e)})`),
    `PGD (ε=${eps})`,
    `AutoAttack (ε=${eps})`,
    'suspected gradient masking'
  ]
  const rows = r.rows.map((row) => ({
    label: row.label,
    n: row.modelRunIds.length,
    cells: [row.clean, ...row.fgsm, row.pgd, row.autoattack],
    verdict: row.verdict ?? 'not evaluated'
  }))
  return { header, rows }
}

/**
 * The results table's words for a cell (api/results-table.ts: "93.4% ± 0.2%", "95.0% (1 of 3
 * runs)"), in Markdown's or LaTeX's notation; `of` is how many seeds the row has.
 */
function statText(s: Stat | null, pm: string, percent: string, of = s?.n ?? 1): string {
  return s
    ? cellValueText({ ...s, of, runIds: [], partialStatuses: [], marks: [] })
        .replace(/±/g, pm)
        .replace(/%/g, percent)
    : '—'
}

const csvField = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

function toCsv(r: StudyReport): string {
  const t = studyTable(r)
  const head = [t.header[0], 'n', ...t.header.slice(2, -1).flatMap((h) => [`${h} %`, `${h} std %`]), t.header.at(-1) as string]
  const lines = [head.map(csvField).join(',')]
  for (const row of t.rows)
    lines.push(
      [row.label, String(row.n), ...row.cells.flatMap((s) => (s ? [pct(s.mean), s.n >= 2 ? pct(s.std) : ''] : ['', ''])), row.verdict]
        .map(csvField)
        .join(',')
    )
  return lines.join('\n') + '\n'
}

function toLatex(r: StudyReport): string {
  const t = studyTable(r)
  const lines = [
    `\\begin{tabular}{l r ${'r '.repeat(t.header.length - 3)}l}`,
    '\\toprule',
    `${t.header.map(latexEscape).join(' & ')} \\\\`,
    '\\midrule',
    ...t.rows.map(
      (row) =>
        `${[latexEscape(row.label), String(row.n), ...row.cells.map((s) => (s ? statText(s, '$\\pm$', '\\%', row.n) : '--')), latexEscape(row.verdict)].join(' & ')} \\\\`
    ),
    '\\bottomrule',
    '\\end{tabular}'
  ]
  return lines.join('\n') + '\n'
}

/** Stated right under every study table: the numbers above are from a reduced study. */
const CUTS_TITLE = 'Reduced scale (against the write-up):'

export function markdownTable(r: StudyReport): string {
  const t = studyTable(r)
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const lines = [
    `| ${t.header.map(esc).join(' | ')} |`,
    `|${t.header.map((_, i) => (i === 0 || i === t.header.length - 1 ? '---|' : '---:|')).join('')}`
  ]
  for (const row of t.rows)
    lines.push(
      `| ${[esc(row.label), String(row.n), ...row.cells.map((s) => statText(s, '±', '%', row.n)), `**${row.verdict}**`].join(' | ')} |`
    )
  return lines.join('\n')
}

const duration = (s: number): string => (s < 90 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`)

function metaLines(r: StudyReport): string[] {
  const p = r.plan
  return [
    `Study ${r.study.id} "${r.study.name}" (${p.preset}): ${r.study.status}${r.study.seconds !== null ? `, ${duration(r.study.seconds)} wall time` : ''}.`,
    `Dataset ${p.dataset}, model ${p.arch}, seeds ${p.seeds.join(', ')}.`,
    `Budget: ${p.budgetNote}`
  ]
}

function curveTables(r: StudyReport): string[] {
  const out: string[] = []
  for (const attack of [...new Set(r.curves.map((c) => c.attack))]) {
    const curves = r.curves.filter((c) => c.attack === attack)
    const eps = [...new Set(curves.flatMap((c) => c.points.map((p) => p.epsilon)))].sort((a, b) => a - b)
    const lines = [
      `| ${attack} accuracy | ${eps.map((e) => `ε=${formatEpsilon(e)}`).join(' | ')} |`,
      `|---|${eps.map(() => '---:|').join('')}`
    ]
    for (const c of curves)
      lines.push(
        `| ${c.label} | ${eps.map((e) => statText(c.points.find((p) => Math.abs(p.epsilon - e) < 1e-12)?.accuracy ?? null, '±', '%')).join(' | ')} |`
      )
    out.push(lines.join('\n'))
  }
  return out
}

function toMarkdown(r: StudyReport): string {
  const parts = [`# ${r.plan.title}`, metaLines(r).join('\n'), '## Results', markdownTable(r)]
  if (r.cuts.length) parts.push(`${CUTS_TITLE}\n${r.cuts.map((c) => `- ${c}`).join('\n')}`)
  parts.push('## Reading', r.reading.map((s) => `- ${s}`).join('\n'))
  const diag = r.rows.filter((row) => row.fired.length)
  parts.push('## Masking checks that fired')
  parts.push(
    diag.length
      ? diag
          .map(
            (row) =>
              `**${row.label}** (verdict ${row.verdict}):\n${row.fired.map((f) => `- check ${f.id}, ${f.name} (${f.strength}; ${f.seeds} of ${row.modelRunIds.length} seeds): ${f.summary}`).join('\n')}`
          )
          .join('\n\n')
      : 'None fired.'
  )
  const curves = curveTables(r)
  if (curves.length) parts.push('## ε-curves', ...curves)
  parts.push(
    '## Time',
    Object.entries(r.timings)
      .map(([k, v]) => `- ${k}: ${duration(v)}`)
      .join('\n')
  )
  if (r.failures.length)
    parts.push(
      '## Runs that did not complete',
      r.failures.map((f) => `- run ${f.runId} "${f.name}": ${f.error ?? 'no error recorded'}`).join('\n')
    )
  parts.push(`_Written by AdvLab ${APP_VERSION}._`)
  return parts.join('\n\n') + '\n'
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

function svgCurve(r: StudyReport, attack: string): string {
  return svgChart(
    {
      title: { text: `${attack}: accuracy vs ε (mean over seeds)`, left: 'center', textStyle: { fontSize: 13 } },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: 'ε', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', min: 0, max: 1 },
      series: r.curves
        .filter((c) => c.attack === attack)
        .map((c) => ({ type: 'line', name: c.label, data: c.points.map((p) => [p.epsilon, p.accuracy.mean]) }))
    },
    { width: 760, height: 300 }
  )
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #d0d4da;padding:3px 8px;text-align:left}
th{background:#f1f3f6}td.n{text-align:right}.muted{color:#5b6470}
.verdict-yes{color:#b00020;font-weight:600}.verdict-possible{color:#a05a00;font-weight:600}`

function toHtml(r: StudyReport): string {
  const t = studyTable(r)
  const table = `<table><thead><tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map(
      (row) =>
        `<tr><td>${esc(row.label)}</td><td class="n">${row.n}</td>${row.cells.map((s) => `<td class="n">${esc(statText(s, '±', '%', row.n))}</td>`).join('')}<td class="verdict-${esc(row.verdict)}">${esc(row.verdict)}</td></tr>`
    )
    .join('')}</tbody></table>`
  const diag = r.rows
    .filter((row) => row.fired.length)
    .map(
      (row) =>
        `<h3>${esc(row.label)} — verdict <span class="verdict-${esc(row.verdict)}">${esc(row.verdict)}</span></h3><ul>${row.fired.map((f) => `<li>check ${f.id}, ${esc(f.name)} (${esc(f.strength)}; ${f.seeds} of ${row.modelRunIds.length} seeds): ${esc(f.summary)}</li>`).join('')}</ul>`
    )
    .join('')
  const curves = [...new Set(r.curves.map((c) => c.attack))].map((a) => `<figure>${svgCurve(r, a)}</figure>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(r.plan.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(r.plan.title)}</h1>
${metaLines(r)
  .map((l) => `<p class="muted">${esc(l)}</p>`)
  .join('\n')}
<h2>Results</h2>${table}
${r.cuts.length ? `<p>${esc(CUTS_TITLE)}</p><ul>${r.cuts.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : ''}
<h2>Reading</h2><ul>${r.reading.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<h2>Masking checks that fired</h2>${diag || '<p>None fired.</p>'}
${curves ? `<h2>ε-curves</h2>${curves}` : ''}
<h2>Time</h2><ul>${Object.entries(r.timings)
    .map(([k, v]) => `<li>${esc(k)}: ${esc(duration(v))}</li>`)
    .join('')}</ul>
${r.failures.length ? `<h2>Runs that did not complete</h2><ul>${r.failures.map((f) => `<li>run ${f.runId} “${esc(f.name)}”: ${esc(f.error ?? 'no error recorded')}</li>`).join('')}</ul>` : ''}
<p class="muted">Written by AdvLab ${esc(APP_VERSION)}.</p>
</body></html>
`
}

export function formatStudyReport(r: StudyReport, format: StudyReportFormat): string {
  switch (format) {
    case 'md':
      return toMarkdown(r)
    case 'html':
      return toHtml(r)
    case 'csv':
      return toCsv(r)
    case 'latex':
      return toLatex(r)
  }
}
