/**
 * What one corruption is: a function of one image (H·W·C values in [0, 1]), a severity from 1 to 5
 * and a seeded random generator, returning the corrupted image in [0, 1]. Each family's file states
 * its parameters per severity with the paper they come from: grey images use MNIST-C's lists (Mu &
 * Gilmer 2019, which are ImageNet-C's five levels, each MNIST-C corruption fixing one of them),
 * colour images CIFAR-10-C's (Hendrycks & Dietterich 2019, make_cifar_c.py).
 */
import type { CorruptionId } from '../../api/corruption-names'
import type { ImageShape } from './geometry'

export type Severity = 1 | 2 | 3 | 4 | 5

export interface Corruption {
  id: CorruptionId
  apply(image: Float32Array, shape: ImageShape, severity: Severity, next: () => number): Float32Array | Promise<Float32Array>
}

/** A parameter's five levels for grey (MNIST-C) and colour (CIFAR-10-C) images. */
export interface Levels<T> {
  grey: readonly [T, T, T, T, T]
  colour: readonly [T, T, T, T, T]
}

/** The parameter of this severity for this kind of image. */
export function level<T>(levels: Levels<T>, severity: Severity, shape: ImageShape): T {
  return (shape[2] === 1 ? levels.grey : levels.colour)[severity - 1]
}

export const clip01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v)

/** The image with f applied to each value, clipped to [0, 1]. */
export function mapValues(image: Float32Array, f: (v: number, i: number) => number): Float32Array {
  const out = new Float32Array(image.length)
  for (let i = 0; i < image.length; i++) out[i] = clip01(f(image[i], i))
  return out
}
