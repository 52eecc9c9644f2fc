/**
 * Runs grouped by any key: a study (its models as one group, openable), or any column — dataset,
 * architecture, defence, status, a config key or a metric value. Groups keep the rows' order.
 */
import type { OverviewStudy } from '@api/runs-overview'
import type { RunRow, SortKey } from './rows'
import { cellText } from './columns'

export type GroupBy = '' | 'study' | SortKey

export interface RunGroup {
  key: string
  /** The value the group shares, as a cell shows it; null for "no study" / no value. */
  value: string | null
  study: OverviewStudy | null
  rows: RunRow[]
}

export function groupRows(rows: RunRow[], by: GroupBy, studies: OverviewStudy[] = []): RunGroup[] {
  if (by === '') return [{ key: 'all', value: null, study: null, rows }]
  const groups = new Map<string, RunGroup>()
  const studyById = new Map(studies.map((s) => [s.id, s]))
  for (const row of rows) {
    let key: string
    let value: string | null
    let study: OverviewStudy | null = null
    if (by === 'study') {
      // A model in several studies (a shared teacher) is listed under the newest.
      study = row.studyIds.map((id) => studyById.get(id)).find((s) => s !== undefined) ?? null
      key = study ? `study:${study.id}` : 'study:none'
      value = study?.name ?? null
    } else {
      const text = cellText(row, by)
      value = text === '—' ? null : text
      key = `${by}:${value ?? ''}`
    }
    const group = groups.get(key) ?? { key, value, study, rows: [] }
    group.rows.push(row)
    groups.set(key, group)
  }
  // The rows without a value (no study) come last.
  return [...groups.values()].sort((a, b) => Number(a.value === null) - Number(b.value === null))
}
