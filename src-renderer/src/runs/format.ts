/** Numbers as the screens show them. */
import { cellValueText } from '@api/results-text'

/** 0.9342 → "93.4%"; null → "—". */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${(value * 100).toFixed(digits)}%`
}

const UNITS: Record<string, { s: string; min: string; h: string }> = {
  en: { s: ' s', min: ' min', h: ' h' },
  'zh-CN': { s: ' 秒', min: ' 分', h: ' 小时' }
}

/** Seconds as "45 s", "3 min 20 s", "1 h 05 min" (or 秒 / 分 / 小时 in Chinese). */
export function formatDuration(seconds: number, language = 'en'): string {
  const u = UNITS[language] ?? UNITS.en
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}${u.s}`
  if (s < 3600) return `${Math.floor(s / 60)}${u.min} ${String(s % 60).padStart(2, '0')}${u.s}`
  return `${Math.floor(s / 3600)}${u.h} ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}${u.min}`
}

/**
 * mean ± std in percent as every table writes it (the contract's words); "—" when there is none.
 * `of`: how many repeats the row has, so "95.0% (1 of 3 runs)" says when some lack the value.
 */
export function meanStd(mean: number | null, std: number, n: number, of = n): string {
  return mean === null ? '—' : cellValueText({ mean, std, n, of, runIds: [], partialStatuses: [], marks: [] })
}
