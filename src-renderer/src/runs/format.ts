/** Numbers as the screens show them. */

/** 0.9342 → "93.4%"; null → "—". */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${(value * 100).toFixed(digits)}%`
}

/** Seconds as "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

/** mean ± std in percent, std left out for a single seed. */
export function meanStd(mean: number | null, std: number, n: number): string {
  if (mean === null) return '—'
  return n > 1 ? `${percent(mean)} ± ${(std * 100).toFixed(1)}` : percent(mean)
}
