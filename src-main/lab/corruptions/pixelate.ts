/**
 * Pixelate (Hendrycks & Dietterich 2019; MNIST-C): the image shrunk to ⌊side·c⌋ pixels and enlarged
 * back, both with PIL's box filter — each output pixel the mean of the input pixels whose centres
 * fall in its footprint (enlarging, that is the one input pixel under it).
 */
import { level, mapValues, type Corruption, type Levels } from './corruption'
import type { ImageShape } from './geometry'

const SCALE: Levels<number> = { grey: [0.6, 0.5, 0.4, 0.3, 0.25], colour: [0.95, 0.9, 0.85, 0.75, 0.65] }

/** PIL's box-filter weights from `from` samples to `to`: per output sample, (input index, weight) pairs. */
export function boxWeights(from: number, to: number): Array<Array<[number, number]>> {
  const scale = from / to
  const filterScale = Math.max(scale, 1)
  const support = 0.5 * filterScale
  return Array.from({ length: to }, (_, j) => {
    const centre = (j + 0.5) * scale
    const lo = Math.max(Math.floor(centre - support + 0.5), 0)
    const hi = Math.min(Math.floor(centre + support + 0.5), from)
    const taps: Array<[number, number]> = []
    for (let x = lo; x < hi; x++) {
      const t = (x - centre + 0.5) / filterScale
      if (t > -0.5 && t <= 0.5) taps.push([x, 1])
    }
    return taps.map(([x, wt]) => [x, wt / taps.length] as [number, number])
  })
}

/** The image resized to outH × outW with the box filter, rows then columns. */
export function boxResize(image: Float32Array, shape: ImageShape, outH: number, outW: number): Float32Array {
  const [h, w, c] = shape
  const cols = boxWeights(w, outW)
  const rows = boxWeights(h, outH)
  const wide = new Float32Array(h * outW * c)
  for (let r = 0; r < h; r++)
    for (let j = 0; j < outW; j++)
      for (let k = 0; k < c; k++) wide[(r * outW + j) * c + k] = cols[j].reduce((s, [x, wt]) => s + wt * image[(r * w + x) * c + k], 0)
  const out = new Float32Array(outH * outW * c)
  for (let i = 0; i < outH; i++)
    for (let j = 0; j < outW; j++)
      for (let k = 0; k < c; k++) out[(i * outW + j) * c + k] = rows[i].reduce((s, [y, wt]) => s + wt * wide[(y * outW + j) * c + k], 0)
  return out
}

export const pixelate = {
  id: 'pixelate',
  apply(image: Float32Array, shape: ImageShape, severity: 1 | 2 | 3 | 4 | 5) {
    const c = level(SCALE, severity, shape)
    const [h, w, channels] = shape
    const small = boxResize(image, shape, Math.floor(h * c), Math.floor(w * c))
    return mapValues(boxResize(small, [Math.floor(h * c), Math.floor(w * c), channels], h, w), (v) => v)
  }
} satisfies Corruption
