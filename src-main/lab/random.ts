/**
 * The one seeded generator of the lab: mulberry32, a small, well-mixed 32-bit generator — fully
 * reproducible, and plenty for shuffles, subsets, weight initialisation and attack restarts.
 */

/** Uniform numbers in [0, 1) from this 32-bit starting state. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** mulberry32 with seed 0 moved off the all-zero state (weight initialisation and attacks use this form). */
export function mulberry32NonZero(seed: number): () => number {
  return mulberry32(seed >>> 0 || 0x9e3779b9)
}
