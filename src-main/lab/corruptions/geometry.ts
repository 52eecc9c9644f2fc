/**
 * Rotation and translation of images with bilinear resampling and black (zero) fill — the
 * transformation of Engstrom et al.'s spatial attack ("Exploring the Landscape of Spatial
 * Robustness", ICML 2019, which fills what moves in from outside the image with black) and of the
 * rotation corruption. Computed on the host so every backend sees the same pixels.
 *
 * The image is rotated by `degrees` about its centre ((W − 1)/2, (H − 1)/2), counter-clockwise as
 * seen on screen, then shifted `dx` pixels right and `dy` pixels down. Each output pixel takes the
 * bilinear mix of the four input pixels around the point it came from (the inverse map); points
 * outside the image count as 0. At 0° and whole-pixel shifts the weights are exactly 0 and 1, so
 * the identity returns the input bit for bit.
 */

/** Height, width, channels of one image (NHWC without N). */
export type ImageShape = readonly [number, number, number]

export interface RigidMotion {
  degrees: number
  dx: number
  dy: number
}

/** One image (H·W·C values) rotated and translated into `out` (allocated when not given). */
export function rotateTranslate(
  image: Float32Array,
  shape: ImageShape,
  motion: RigidMotion,
  out = new Float32Array(image.length)
): Float32Array {
  const [h, w, c] = shape
  const cy = (h - 1) / 2
  const cx = (w - 1) / 2
  const theta = (motion.degrees * Math.PI) / 180
  // Exact at 0°: Math.cos(0) = 1 and Math.sin(0) = 0, so the identity needs no special case.
  const cos = Math.cos(theta)
  const sin = Math.sin(theta)
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      // Undo the shift, then rotate back by −θ about the centre (screen y points down).
      const u = col - motion.dx - cx
      const v = row - motion.dy - cy
      const sx = cos * u - sin * v + cx
      const sy = sin * u + cos * v + cy
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      const base = (row * w + col) * c
      for (let ch = 0; ch < c; ch++) {
        const at = (yy: number, xx: number): number => (yy >= 0 && yy < h && xx >= 0 && xx < w ? image[(yy * w + xx) * c + ch] : 0)
        const top = fx === 0 ? at(y0, x0) : at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
        const bottom = fy === 0 ? 0 : fx === 0 ? at(y0 + 1, x0) : at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
        out[base + ch] = fy === 0 ? top : top * (1 - fy) + bottom * fy
      }
    }
  }
  return out
}

/** Every image of a batch (N·H·W·C values) moved by its own motion. */
export function rotateTranslateBatch(images: Float32Array, shape: ImageShape, motions: readonly RigidMotion[]): Float32Array {
  const size = shape[0] * shape[1] * shape[2]
  const out = new Float32Array(motions.length * size)
  motions.forEach((m, i) => rotateTranslate(images.subarray(i * size, (i + 1) * size), shape, m, out.subarray(i * size, (i + 1) * size)))
  return out
}
