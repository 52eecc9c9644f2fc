/**
 * A results-table cell in the user's language. The numbers are written by the contract's own
 * statText (api/results-text.ts), so they are the same on every screen and export; only the words
 * around them — "(1 of 2 runs)", "masking", "partial (cancelled)" — are translated here, from the
 * cell's facts (n, of, marks, partialStatuses). In English the result is exactly cellValueText /
 * cellMarkText (a unit test compares them).
 */
import { useI18n } from 'vue-i18n'
import type { ResultCell } from '@api/results-table'
import { statText } from '@api/results-text'

export interface CellWords {
  t(key: string, named?: Record<string, unknown>): string
}

type Counted = Pick<ResultCell, 'mean' | 'std' | 'n' | 'of'>

/** "93.4% ± 0.2%", with "(1 of 2 runs)" when some repeats lack the cell; "—" for none. */
export function cellValueWords(cell: Counted | null, { t }: CellWords): string {
  if (!cell) return t('common.notApplicable')
  const value = statText(cell.mean, cell.std, cell.n)
  return cell.n < cell.of ? t('results.ofRuns', { value, n: cell.n, of: cell.of }) : value
}

/** A cell's marks: "★", "masking", "partial (cancelled)". */
export function cellMarkWords(cell: Pick<ResultCell, 'marks' | 'partialStatuses'> | null, { t }: CellWords): string {
  if (!cell) return ''
  return cell.marks
    .map((m) =>
      m === 'best'
        ? '★'
        : m === 'masking'
          ? t('results.masking')
          : t('results.partial', {
              statuses: [...new Set(cell.partialStatuses)].map((s) => t(`runs.statuses.${s}`)).join(t('results.separator'))
            })
    )
    .join(' ')
}

export function useCellText() {
  const { t } = useI18n()
  return {
    cellValue: (cell: Counted | null) => cellValueWords(cell, { t }),
    cellMarks: (cell: Pick<ResultCell, 'marks' | 'partialStatuses'> | null) => cellMarkWords(cell, { t })
  }
}
