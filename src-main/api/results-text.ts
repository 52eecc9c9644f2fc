/**
 * The words of the results table (api/results-table.ts): how every screen, export and the CLI
 * write a cell. Free of zod on purpose: the renderer loads it at start-up, before zodSetup may run.
 */
import type { ResultCell } from './results-table'
import { beyondBallTitle } from './corruption-names'

/** Attacks by the names papers give them; the Compare screen's menus and curves use them too. */
const ATTACK_TITLES: Record<string, string> = {
  fgsm: 'FGSM',
  rfgsm: 'R-FGSM',
  'fgsm-rs': 'FGSM-RS',
  pgd: 'PGD',
  // The full evaluation's ε-curve: PGD at every ε of the curve, recorded apart from the headline PGD.
  'pgd-curve': 'PGD ε-curve',
  bim: 'BIM',
  'apgd-ce': 'APGD-CE',
  'apgd-dlr': 'APGD-DLR',
  'apgd-t': 'APGD-T',
  'fab-t': 'FAB-T',
  square: 'Square',
  'cw-l2': 'CW-L2',
  autoattack: 'AutoAttack',
  'autoattack-rand': 'AutoAttack (rand)',
  'autoattack-fast': 'AutoAttack (fast)',
  // Certified bounds, not attacks: named as their papers name them.
  ibp: 'IBP',
  crown: 'CROWN'
}

/** An attack's display name ("pgd-curve" → "PGD ε-curve"); an unknown id is shown as it is. */
export const attackTitle = (attack: string): string => ATTACK_TITLES[attack] ?? beyondBallTitle(attack)

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`

/** mean ± std in percent: "93.4% ± 0.2%", and "95.0%" alone when there is one value (n < 2). */
export function statText(mean: number, std: number, n: number): string {
  return n >= 2 ? `${pct(mean)} ± ${pct(std)}` : pct(mean)
}

/**
 * A cell's value as every screen and export writes it: "95.0%" for one value, "93.4% ± 0.2%" for
 * repeats (± only when n ≥ 2), and "(1 of 2 runs)" when some repeats lack the cell.
 */
export function cellValueText(cell: ResultCell | null): string {
  if (!cell) return '—'
  const value = statText(cell.mean, cell.std, cell.n)
  return cell.n < cell.of ? `${value} (${cell.n} of ${cell.of} runs)` : value
}

/** A cell's marks in words: "★", "masking", "partial (cancelled)". */
export function cellMarkText(cell: ResultCell | null): string {
  if (!cell) return ''
  return cell.marks
    .map((m) => (m === 'best' ? '★' : m === 'masking' ? 'masking' : `partial (${[...new Set(cell.partialStatuses)].join(', ')})`))
    .join(' ')
}

/** Value and marks together, as the text exports write a cell. */
export function cellText(cell: ResultCell | null): string {
  const marks = cellMarkText(cell)
  return marks ? `${cellValueText(cell)} ${marks}` : cellValueText(cell)
}

/** The verdict column's words. */
export const verdictText = (verdict: string | null): string => verdict ?? 'not evaluated'
