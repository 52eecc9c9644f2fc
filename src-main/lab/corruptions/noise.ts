/**
 * Noise corruptions (Hendrycks & Dietterich 2019; MNIST-C uses the same lists). Per value:
 *  - Gaussian noise: x + N(0, c²).
 *  - Shot noise: Poisson(c·x)/c — photon counting, c photons at full brightness.
 *  - Impulse (salt-and-pepper) noise: each value, with probability c, set to 0 or 1 (even odds).
 */
import { level, mapValues, type Corruption, type Levels } from './corruption'
import { normalFrom, poisson } from './sampling'

const GAUSSIAN: Levels<number> = { grey: [0.08, 0.12, 0.18, 0.26, 0.38], colour: [0.04, 0.06, 0.08, 0.09, 0.1] }
const SHOT: Levels<number> = { grey: [60, 25, 12, 5, 3], colour: [500, 250, 100, 75, 50] }
const IMPULSE: Levels<number> = { grey: [0.03, 0.06, 0.09, 0.17, 0.27], colour: [0.01, 0.02, 0.03, 0.05, 0.07] }

export const gaussianNoise: Corruption = {
  id: 'gaussian-noise',
  apply(image, shape, severity, next) {
    const c = level(GAUSSIAN, severity, shape)
    const normal = normalFrom(next)
    return mapValues(image, (v) => v + c * normal())
  }
}

export const shotNoise: Corruption = {
  id: 'shot-noise',
  apply(image, shape, severity, next) {
    const c = level(SHOT, severity, shape)
    return mapValues(image, (v) => poisson(v * c, next) / c)
  }
}

export const impulseNoise: Corruption = {
  id: 'impulse-noise',
  apply(image, shape, severity, next) {
    const c = level(IMPULSE, severity, shape)
    // Two draws per value at every level, so a higher level flips a superset of a lower one's values.
    return mapValues(image, (v) => {
      const flip = next() < c
      const salt = next() < 0.5
      return flip ? (salt ? 1 : 0) : v
    })
  }
}
