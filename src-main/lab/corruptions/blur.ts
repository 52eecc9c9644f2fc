/**
 * Blur corruptions (Hendrycks & Dietterich 2019; MNIST-C):
 *  - Gaussian blur: scikit-image's gaussian(σ) — truncated at 4σ, edges repeated.
 *  - Defocus blur: a disk of radius r (on a grid of −8…8, or −r…r beyond 8), smoothed by a 3×3
 *    (5×5 beyond 8) Gaussian of σ = alias_blur against aliasing, applied as OpenCV's filter2D
 *    (edges mirrored). The smoothed kernel is normalised again: where the disk reaches the grid's
 *    edge (r = 8) the reference's mirrored smoothing adds mass (its kernel sums to about 1.01) and
 *    would brighten the image as a side effect of the blur.
 *  - Motion blur: ImageMagick's motion blur, which drags a one-sided trail of 2·radius + 1 pixels
 *    weighted exp(−i²/2σ²) along a random angle in [−45°, 45°].
 */
import { level, clip01, type Corruption, type Levels } from './corruption'
import { filterTaps, gaussianFilter } from './filters'

const GAUSSIAN_BLUR: Levels<number> = { grey: [1, 2, 3, 4, 6], colour: [0.4, 0.6, 0.7, 0.8, 1] }
const DEFOCUS: Levels<readonly [number, number]> = {
  grey: [
    [3, 0.1],
    [4, 0.5],
    [6, 0.5],
    [8, 0.5],
    [10, 0.5]
  ],
  colour: [
    [0.3, 0.4],
    [0.4, 0.5],
    [0.5, 0.6],
    [1, 0.2],
    [1.5, 0.1]
  ]
}
const MOTION: Levels<readonly [number, number]> = {
  grey: [
    [10, 3],
    [15, 5],
    [15, 8],
    [15, 12],
    [20, 15]
  ],
  colour: [
    [10, 1],
    [10, 1.5],
    [10, 2],
    [10, 2.5],
    [12, 3]
  ]
}

const clipped = (image: Float32Array): Float32Array => image.map(clip01)

export const gaussianBlur: Corruption = {
  id: 'gaussian-blur',
  apply(image, shape, severity) {
    const sigma = level(GAUSSIAN_BLUR, severity, shape)
    return clipped(gaussianFilter(image, shape, sigma, Math.ceil(4 * sigma), 'nearest'))
  }
}

/** The anti-aliased disk kernel of Hendrycks' defocus blur, as taps. */
export function diskKernel(radius: number, aliasBlur: number): Array<readonly [number, number, number]> {
  const half = radius <= 8 ? 8 : Math.ceil(radius)
  const side = 2 * half + 1
  const disk = new Float32Array(side * side)
  for (let y = -half; y <= half; y++)
    for (let x = -half; x <= half; x++) disk[(y + half) * side + x + half] = x * x + y * y <= radius * radius ? 1 : 0
  const total = disk.reduce((a, b) => a + b, 0)
  for (let i = 0; i < disk.length; i++) disk[i] /= total
  // OpenCV's GaussianBlur of the disk with a 3×3 (5×5) kernel, borders mirrored.
  const smooth = gaussianFilter(disk, [side, side, 1], aliasBlur, half <= 8 ? 1 : 2, 'reflect101')
  const mass = smooth.reduce((a, b) => a + b, 0)
  const taps: Array<readonly [number, number, number]> = []
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) if (smooth[y * side + x] !== 0) taps.push([y - half, x - half, smooth[y * side + x] / mass])
  return taps
}

export const defocusBlur: Corruption = {
  id: 'defocus-blur',
  apply(image, shape, severity) {
    const [radius, alias] = level(DEFOCUS, severity, shape)
    return clipped(filterTaps(image, shape, diskKernel(radius, alias), 'reflect101'))
  }
}

/** ImageMagick's motion-blur trail at this angle (degrees), as taps (pixel offsets rounded). */
export function motionKernel(radius: number, sigma: number, degrees: number): Array<readonly [number, number, number]> {
  const width = 2 * Math.ceil(radius) + 1
  const weights = Array.from({ length: width }, (_, i) => Math.exp(-(i * i) / (2 * sigma * sigma)))
  const total = weights.reduce((a, b) => a + b, 0)
  const theta = (degrees * Math.PI) / 180
  return weights.map((wt, i) => [Math.round(i * Math.sin(theta)), Math.round(i * Math.cos(theta)), wt / total] as const)
}

export const motionBlur: Corruption = {
  id: 'motion-blur',
  apply(image, shape, severity, next) {
    const [radius, sigma] = level(MOTION, severity, shape)
    const angle = -45 + 90 * next()
    return clipped(filterTaps(image, shape, motionKernel(radius, sigma, angle), 'nearest'))
  }
}
