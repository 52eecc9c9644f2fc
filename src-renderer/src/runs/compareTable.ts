/**
 * What the Compare screen derives itself: only per-sample agreement counts. The results table
 * (rows, cells, ★, masking and partial marks) comes whole from the service (results.table).
 */

/** Per attack × ε: how many samples each run alone gets right (the others all wrong). */
export function onlyOneRight(cell: { correct: (boolean[] | null)[] }): number[] {
  const counts = cell.correct.map(() => 0)
  const length = Math.max(0, ...cell.correct.map((c) => c?.length ?? 0))
  for (let s = 0; s < length; s++) {
    const right = cell.correct.map((c, r) => (c?.[s] ? r : -1)).filter((r) => r >= 0)
    if (right.length === 1) counts[right[0]]++
  }
  return counts
}
