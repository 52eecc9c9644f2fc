/**
 * The results table in the seed study's shape — model / strategy | clean | FGSM@ε | PGD@ε |
 * AutoAttack | suspected gradient masking — one row per group of repeats, mean ± std where a
 * group has more than one run, as CSV, Markdown or LaTeX.
 */
import type { Comparison, Group, Stat, TableFormat } from '../../../api/log'
import { formatEpsilon } from '../../../api/epsilon'

export interface ResultsTable {
  epsilon: number | null
  header: string[]
  rows: Array<{ label: string; n: number; cells: Array<Stat | null>; verdict: string }>
}

const COLUMNS = [
  { title: 'clean', match: (a: string) => a === 'clean', needsEps: false },
  { title: 'FGSM', match: (a: string) => a === 'fgsm', needsEps: true },
  { title: 'PGD', match: (a: string) => a === 'pgd' || a.startsWith('pgd-'), needsEps: true },
  { title: 'AutoAttack', match: (a: string) => a.startsWith('autoattack'), needsEps: true }
] as const

/** The ε the attack columns show: the one asked for, else the largest FGSM ε present (the seed's 8/255). */
function pickEpsilon(cmp: Comparison, wanted: number | undefined): number | null {
  if (wanted !== undefined) return wanted
  const eps = cmp.evaluations.filter((e) => e.attack.toLowerCase() === 'fgsm').map((e) => e.epsilon)
  const any = cmp.evaluations.filter((e) => e.epsilon > 0).map((e) => e.epsilon)
  const pool = eps.length ? eps : any
  return pool.length ? Math.max(...pool) : null
}

const sameEps = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

function cellOf(group: Group, column: (typeof COLUMNS)[number], epsilon: number | null): Stat | null {
  const hits = group.evaluations.filter((e) => column.match(e.attack.toLowerCase()) && (!column.needsEps || (epsilon !== null && sameEps(e.epsilon, epsilon))))
  // L∞ is the seed's threat model; another norm is used only when a group has no L∞ result.
  const pick = hits.find((e) => e.norm === 'Linf') ?? hits[0]
  if (pick) return pick.accuracy
  if (column.title === 'clean') {
    const acc = group.finalMetrics['test/accuracy']
    if (acc) return acc
  }
  return null
}

export function resultsTable(cmp: Comparison, epsilon?: number): ResultsTable {
  const eps = pickEpsilon(cmp, epsilon)
  const epsText = eps === null ? '' : ` (ε=${formatEpsilon(eps)})`
  const header = ['model / strategy', 'n', ...COLUMNS.map((c) => (c.needsEps ? `${c.title}${epsText}` : c.title)), 'suspected gradient masking']
  const rows = cmp.groups.map((g) => ({
    label: g.label,
    n: g.runIds.length,
    cells: COLUMNS.map((c) => cellOf(g, c, eps)),
    verdict: g.verdict ?? 'not evaluated'
  }))
  return { epsilon: eps, header, rows }
}

const pct = (v: number): string => (v * 100).toFixed(1)

function statText(s: Stat | null, pm: string, percent: string): string {
  if (!s) return '—'
  return s.n > 1 ? `${pct(s.mean)}${percent} ${pm} ${pct(s.std)}${percent}` : `${pct(s.mean)}${percent}`
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** CSV keeps numbers machine-readable: a mean and a std column (in %) per result. */
function toCsv(t: ResultsTable): string {
  const head = [t.header[0], 'n', ...t.header.slice(2, -1).flatMap((h) => [`${h} %`, `${h} std %`]), t.header.at(-1) as string]
  const lines = [head.map(csvField).join(',')]
  for (const r of t.rows) {
    const cells = r.cells.flatMap((s) => (s ? [pct(s.mean), r.n > 1 ? pct(s.std) : ''] : ['', '']))
    lines.push([r.label, String(r.n), ...cells, r.verdict].map(csvField).join(','))
  }
  return lines.join('\n') + '\n'
}

function toMarkdown(t: ResultsTable): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|')
  const lines = [`| ${t.header.map(esc).join(' | ')} |`, `|${t.header.map((_, i) => (i === 0 || i === t.header.length - 1 ? '---|' : '---:|')).join('')}`]
  for (const r of t.rows) lines.push(`| ${[esc(r.label), String(r.n), ...r.cells.map((s) => statText(s, '±', '%')), r.verdict].join(' | ')} |`)
  return lines.join('\n') + '\n'
}

export function latexEscape(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\^{}' : c === '~' ? '\\~{}' : `\\${c}`)).replace(/ε/g, '$\\varepsilon$')
}

/** A booktabs table body, ready to \input into a paper. */
function toLatex(t: ResultsTable): string {
  const cols = `l r ${'r '.repeat(t.header.length - 3)}l`
  const lines = [
    `\\begin{tabular}{${cols.trim()}}`,
    '\\toprule',
    `${t.header.map(latexEscape).join(' & ')} \\\\`,
    '\\midrule',
    ...t.rows.map((r) => `${[latexEscape(r.label), String(r.n), ...r.cells.map((s) => (s ? statText(s, '$\\pm$', '\\%') : '--')), latexEscape(r.verdict)].join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}'
  ]
  return lines.join('\n') + '\n'
}

export function formatResultsTable(t: ResultsTable, format: TableFormat): string {
  return format === 'csv' ? toCsv(t) : format === 'md' ? toMarkdown(t) : toLatex(t)
}
