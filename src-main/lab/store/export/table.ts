/**
 * The results table (store/results-table.ts) as CSV, Markdown or LaTeX. Cells are written with the
 * contract's cellText, the same words the Compare screen shows; only the notation changes.
 */
import type { TableFormat } from '../../../api/log'
import { type ResultsTable } from '../../../api/results-table'
import { cellMarkText, cellText, verdictText } from '../../../api/results-text'

const pct = (v: number): string => (v * 100).toFixed(1)

/** The header every format shares: label, n, one title per column, the masking verdict. */
export function tableHeader(t: ResultsTable): string[] {
  return ['model / strategy', 'n', ...t.columns.map((c) => c.title), 'suspected gradient masking']
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** CSV keeps numbers machine-readable: per column the mean and std (in %), the n behind it and its marks. */
function toCsv(t: ResultsTable): string {
  const head = [
    'model / strategy',
    'n',
    ...t.columns.flatMap((c) => [`${c.title} %`, `${c.title} std %`, `${c.title} n`, `${c.title} mark`]),
    'suspected gradient masking'
  ]
  const lines = [head.map(csvField).join(',')]
  for (const r of t.rows) {
    const cells = r.cells.flatMap((c) => (c ? [pct(c.mean), c.n >= 2 ? pct(c.std) : '', String(c.n), cellMarkText(c)] : ['', '', '', '']))
    lines.push([r.label, String(r.runIds.length), ...cells, verdictText(r.verdict)].map(csvField).join(','))
  }
  return lines.join('\n') + '\n'
}

function toMarkdown(t: ResultsTable): string {
  const header = tableHeader(t)
  const esc = (s: string): string => s.replace(/\|/g, '\\|')
  const lines = [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || i === header.length - 1 ? '---|' : '---:|')).join('')}`
  ]
  for (const r of t.rows)
    lines.push(
      `| ${[esc(r.label), String(r.runIds.length), ...r.cells.map((c) => esc(cellText(c))), verdictText(r.verdict)].join(' | ')} |`
    )
  return lines.join('\n') + '\n'
}

export function latexEscape(s: string): string {
  return s
    .replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\^{}' : c === '~' ? '\\~{}' : `\\${c}`))
    .replace(/ε/g, '$\\varepsilon$')
    .replace(/±/g, '$\\pm$')
    .replace(/★/g, '$\\star$')
    .replace(/—/g, '--')
}

/** A booktabs table body, ready to \input into a paper. */
function toLatex(t: ResultsTable): string {
  const header = tableHeader(t)
  const lines = [
    `\\begin{tabular}{${`l r ${'r '.repeat(header.length - 3)}l`.trim()}}`,
    '\\toprule',
    `${header.map(latexEscape).join(' & ')} \\\\`,
    '\\midrule',
    ...t.rows.map(
      (r) =>
        `${[latexEscape(r.label), String(r.runIds.length), ...r.cells.map((c) => latexEscape(cellText(c))), latexEscape(verdictText(r.verdict))].join(' & ')} \\\\`
    ),
    '\\bottomrule',
    '\\end{tabular}'
  ]
  return lines.join('\n') + '\n'
}

export function formatResultsTable(t: ResultsTable, format: TableFormat): string {
  return format === 'csv' ? toCsv(t) : format === 'md' ? toMarkdown(t) : toLatex(t)
}
