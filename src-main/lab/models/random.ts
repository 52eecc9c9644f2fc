/**
 * Seeded initialisation. Same seed → same weights on every backend, because the numbers are drawn
 * on the host (a small counter-based generator) and uploaded, never by a backend's RNG.
 */
import { mulberry32NonZero } from '../random'

/** The lab's seeded generator (random.ts), for weight initialisation. */
export const seededUniform = mulberry32NonZero

/** A stable 32-bit hash of a parameter name, so each tensor's draw is independent of the others. */
export function hashName(name: string): number {
  let h = 2166136261
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619)
  return h >>> 0
}

/** U(−bound, bound) values for one named tensor under a model seed. */
export function uniformValues(size: number, bound: number, seed: number, name: string): Float32Array {
  const next = seededUniform((Math.imul(seed >>> 0, 0x9e3779b1) ^ hashName(name)) >>> 0)
  const out = new Float32Array(size)
  for (let i = 0; i < size; i++) out[i] = (next() * 2 - 1) * bound
  return out
}
