import type { SplitSource } from '../../../src-main/lab/data/source'
import { hwcImage } from './fixtures'

/** Every image and label of a split, concatenated, as a reader delivers them. */
export async function readSplit(split: SplitSource, imageBytes: number): Promise<{ pixels: Uint8Array; labels: Int32Array }> {
  const pixels = new Uint8Array(split.count * imageBytes)
  const labels = new Int32Array(split.count)
  let next = 0
  await split.readImages((chunk) => {
    if (chunk.start !== next) throw new Error(`chunk starts at ${chunk.start}, expected ${next}`)
    pixels.set(chunk.pixels.subarray(0, chunk.count * imageBytes), chunk.start * imageBytes)
    labels.set(chunk.labels, chunk.start)
    next += chunk.count
  })
  return { pixels, labels }
}

/** The HWC bytes the fixtures encode for images first..first+n-1. */
export function expectedPixels(first: number, n: number, height: number, width: number, channels: number): Uint8Array {
  const out = new Uint8Array(n * height * width * channels)
  for (let i = 0; i < n; i++) out.set(hwcImage(first + i, height, width, channels), i * height * width * channels)
  return out
}

/** Index of the first differing byte, or -1: a readable failure instead of a 10,000-element diff. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length)
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i
  return -1
}
