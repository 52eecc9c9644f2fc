/**
 * Which ε mean something, checked where a request arrives (the lab service, sweep files) and in the
 * wizards before they send one — one function, so every place says the same sentence.
 *
 * Images are in [0, 1] (ARCHITECTURE.md), so:
 *  - L∞: no pixel can move by more than 1; ε > 1 allows nothing more than ε = 1 and only misleads.
 *  - L2: the farthest two images are all-black and all-white, √(H·W·C) apart (the diameter of
 *    [0, 1]^D); a larger ε allows nothing more.
 *  - ε = 0 is refused for every attack: it leaves the image unchanged, so its "robust accuracy" is
 *    the clean accuracy every attack run already records (as its clean row), now under an attack's
 *    name; the minimal-perturbation attacks (FAB, C&W) would report every point robust at 0 too.
 */
import { LabError } from './errors'
import { formatEpsilon } from './epsilon'

export interface ImageShape {
  height: number
  width: number
  channels: number
}

/** The largest meaningful ε for a norm; for L2 without a known image shape, none (Infinity). */
export function epsilonLimit(norm: 'Linf' | 'L2', shape?: ImageShape | null): number {
  if (norm === 'Linf') return 1
  return shape ? Math.sqrt(shape.height * shape.width * shape.channels) : Infinity
}

/** Why ε is not usable (field, value and the allowed range), or null when it is. */
export function checkEpsilon(value: number, norm: 'Linf' | 'L2', shape?: ImageShape | null, field = 'epsilon'): string | null {
  const limit = epsilonLimit(norm, shape)
  if (Number.isFinite(value) && value > 0 && value <= limit) return null
  const range = `(0, ${limit === Infinity ? '∞' : formatEpsilon(Number(limit.toPrecision(6)))}]`
  const why =
    norm === 'Linf'
      ? 'images are in [0, 1], so no pixel can move by more than 1'
      : shape
        ? `√(${shape.height}·${shape.width}·${shape.channels}) is the distance from an all-black to an all-white ${shape.height}×${shape.width}×${shape.channels} image`
        : 'a budget must be positive'
  const zero = value === 0 ? '; ε = 0 changes no pixel and measures only the clean accuracy, which every run records already' : ''
  return `${field} = ${Number.isFinite(value) ? formatEpsilon(value) : String(value)} is outside ${range} for the ${norm === 'Linf' ? 'L∞' : 'L2'} norm: ${why}${zero}.`
}

/** checkEpsilon as a LabError('bad_input') naming the field. */
export function requireEpsilon(value: number, norm: 'Linf' | 'L2', shape: ImageShape | null | undefined, field = 'epsilon'): void {
  const problem = checkEpsilon(value, norm, shape, field)
  if (problem) throw new LabError('bad_input', problem, field)
}
