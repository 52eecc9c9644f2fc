/**
 * Scratches: bright lines across the image, after MNIST-C's "line" corruption (Mu & Gilmer 2019).
 * Each line runs from a column in the first fifth of the image to one in the last fifth, between
 * random rows; a pixel at vertical distance d from it brightens by log(1 − d/2.3) + 1 (clipped to
 * [0, 1]: a soft stroke about two pixels wide), added to every channel. MNIST-C draws one line and
 * has no severities; here severity s draws s lines.
 */
import { mapValues, type Corruption } from './corruption'
import type { ImageShape } from './geometry'

/** How much one line from (c0, r0) to (c1, r1) brightens each pixel (H·W values). */
export function lineStroke(shape: ImageShape, c0: number, r0: number, c1: number, r1: number): Float32Array {
  const [h, w] = shape
  const stroke = new Float32Array(h * w)
  if (c1 === c0) return stroke
  const slope = (r1 - r0) / (c1 - c0)
  for (let r = 0; r < h; r++)
    for (let c = Math.floor(c0); c < Math.min(w, Math.ceil(c1)); c++) {
      const d = Math.min(Math.abs(r - (slope * (c - c0) + r0)), 2.3 - 1e-10)
      stroke[r * w + c] = Math.min(1, Math.max(0, Math.log(1 - d / 2.3) + 1))
    }
  return stroke
}

export const scratches: Corruption = {
  id: 'scratches',
  apply(image, shape, severity, next) {
    const [h, w, channels] = shape
    // MNIST-C's endpoints on 28 pixels — columns 0–4 and 22–26, rows 0–26 — scaled to this image.
    const sx = w / 28
    const sy = h / 28
    const total = new Float32Array(h * w)
    for (let line = 0; line < severity; line++) {
      const c0 = Math.floor(next() * 5) * sx
      const c1 = (22 + Math.floor(next() * 5)) * sx
      const r0 = Math.floor(next() * 27) * sy
      const r1 = Math.floor(next() * 27) * sy
      const stroke = lineStroke(shape, c0, r0, c1, r1)
      for (let i = 0; i < total.length; i++) total[i] += stroke[i]
    }
    return mapValues(image, (v, i) => v + total[Math.floor(i / channels)])
  }
}
