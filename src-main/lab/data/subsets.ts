/**
 * Seeded, stratified choice of images: every class keeps its share (largest-remainder rounding), so
 * a 1,000-image subset of MNIST still has ~100 of each digit. Same seed, same labels → same choice.
 */
import { mulberry32 } from '../random'

/** The lab's seeded generator (random.ts); seed 0 is used as it is, so existing subsets stay the same. */
export const seededRandom = mulberry32

/** Derives an independent seed for a named purpose, so validation and subset picks do not correlate. */
export function deriveSeed(seed: number, purpose: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/**
 * Picks `n` of `candidates` (indices into `labels`), stratified by label, in ascending index order.
 * Asking for as many as there are (or more) returns all candidates.
 */
export function stratifiedPick(labels: Int32Array, candidates: Int32Array, n: number, seed: number): Int32Array {
  if (n >= candidates.length) return candidates.slice()
  const byClass = new Map<number, number[]>()
  for (const index of candidates) {
    const label = labels[index]
    let list = byClass.get(label)
    if (!list) byClass.set(label, (list = []))
    list.push(index)
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b)
  const total = candidates.length
  const exact = classes.map((c) => (n * byClass.get(c)!.length) / total)
  const quota = exact.map(Math.floor)
  let left = n - quota.reduce((a, b) => a + b, 0)
  const byRemainder = classes.map((_, i) => i).sort((a, b) => exact[b] - quota[b] - (exact[a] - quota[a]) || a - b)
  for (const i of byRemainder) {
    if (left === 0) break
    quota[i]++
    left--
  }
  const random = seededRandom(seed)
  const picked: number[] = []
  classes.forEach((c, i) => {
    const list = byClass.get(c)!
    // Partial Fisher–Yates: the first quota[i] entries become a uniform random sample.
    for (let j = 0; j < quota[i]; j++) {
      const k = j + Math.floor(random() * (list.length - j))
      ;[list[j], list[k]] = [list[k], list[j]]
      picked.push(list[j])
    }
  })
  return Int32Array.from(picked.sort((a, b) => a - b))
}

/** Indices 0..n-1 not in `taken` (which must be sorted ascending). */
export function complement(n: number, taken: Int32Array): Int32Array {
  const out = new Int32Array(n - taken.length)
  let t = 0
  let o = 0
  for (let i = 0; i < n; i++) {
    if (t < taken.length && taken[t] === i) t++
    else out[o++] = i
  }
  return out
}
