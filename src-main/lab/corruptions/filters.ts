/**
 * Filtering an image channel by channel with a small kernel, with the border rules the reference
 * implementations use: scikit-image's Gaussian repeats the edge pixel ("nearest"); OpenCV's filter2D
 * mirrors without repeating it ("reflect 101"); ImageMagick's motion blur repeats the edge too.
 */
import type { ImageShape } from './geometry'

export type Border = 'nearest' | 'reflect101'

export function borderIndex(i: number, n: number, border: Border): number {
  if (border === 'nearest' || n === 1) return i < 0 ? 0 : i >= n ? n - 1 : i
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i
  return i
}

/**
 * Correlation with a kernel given as taps (row offset, column offset, weight): out(r, c) =
 * Σ weight · in(r + dr, c + dc), the border filled by `border`.
 */
export function filterTaps(
  image: Float32Array,
  shape: ImageShape,
  taps: ReadonlyArray<readonly [number, number, number]>,
  border: Border
): Float32Array {
  const [h, w, ch] = shape
  const out = new Float32Array(image.length)
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++)
      for (let k = 0; k < ch; k++) {
        let sum = 0
        for (const [dr, dc, weight] of taps)
          sum += weight * image[(borderIndex(r + dr, h, border) * w + borderIndex(c + dc, w, border)) * ch + k]
        out[(r * w + c) * ch + k] = sum
      }
  return out
}

/** A normalised 1-D Gaussian of this radius (weights at −radius … radius). */
export function gaussianWeights(sigma: number, radius: number): number[] {
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)))
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.map((v) => v / total)
}

/** Separable Gaussian blur: rows, then columns. */
export function gaussianFilter(image: Float32Array, shape: ImageShape, sigma: number, radius: number, border: Border): Float32Array {
  const weights = gaussianWeights(sigma, radius)
  const along = (vertical: boolean) => weights.map((wt, i) => (vertical ? ([i - radius, 0, wt] as const) : ([0, i - radius, wt] as const)))
  return filterTaps(filterTaps(image, shape, along(false), border), shape, along(true), border)
}
