/**
 * Rotation (MNIST-C, Mu & Gilmer 2019): turned about the centre by c radians in a random direction,
 * c = 0.2, 0.4, 0.6, 0.8, 1.0 (about 11°, 23°, 34°, 46°, 57°) — MNIST-C's five levels, used for
 * colour images too (CIFAR-10-C has no rotation) — bilinear, black fill, as scikit-image's warp.
 */
import type { Corruption, Severity } from './corruption'
import { rotateTranslate } from './geometry'

const RADIANS = [0.2, 0.4, 0.6, 0.8, 1] as const

export const rotation: Corruption = {
  id: 'rotation',
  apply(image, shape, severity: Severity, next) {
    const sign = next() < 0.5 ? -1 : 1
    return rotateTranslate(image, shape, { degrees: (sign * RADIANS[severity - 1] * 180) / Math.PI, dx: 0, dy: 0 })
  }
}
