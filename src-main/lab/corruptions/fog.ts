/**
 * Fog (Hendrycks & Dietterich 2019; MNIST-C): a plasma fractal — diamond-square on a 256 × 256
 * wrapping grid, the random amplitude divided by `decay` at each halving — scaled to [0, 1], its
 * top-left corner added with weight c to every channel, and the result rescaled by max/(max + c)
 * (max: the image's brightest value) so the fog lifts the dark parts and flattens the contrast.
 */
import { level, mapValues, type Corruption, type Levels } from './corruption'

const FOG: Levels<readonly [number, number]> = {
  grey: [
    [1.5, 2],
    [2, 2],
    [2.5, 1.7],
    [2.5, 1.5],
    [3, 1.4]
  ],
  colour: [
    [0.2, 3],
    [0.5, 3],
    [0.75, 2.5],
    [1, 2],
    [1.5, 1.75]
  ]
}

/** A size × size plasma fractal in [0, 1] (size a power of two). */
export function plasmaFractal(size: number, decay: number, next: () => number): Float64Array {
  const map = new Float64Array(size * size)
  const at = (r: number, c: number) => (((r % size) + size) % size) * size + (((c % size) + size) % size)
  // The reference's noise: wibble · U(−wibble, wibble), starting at wibble = 100.
  let wibble = 100
  const noise = () => wibble * (2 * next() - 1) * wibble
  for (let step = size; step >= 2; step /= 2) {
    const half = step / 2
    // Squares: each cell's centre from its four corners.
    for (let r = 0; r < size; r += step)
      for (let c = 0; c < size; c += step)
        map[at(r + half, c + half)] =
          (map[at(r, c)] + map[at(r, c + step)] + map[at(r + step, c)] + map[at(r + step, c + step)]) / 4 + noise()
    // Diamonds: each edge's midpoint from its two corners and the two centres beside it.
    for (let r = 0; r < size; r += step)
      for (let c = 0; c < size; c += step) {
        map[at(r, c + half)] =
          (map[at(r, c)] + map[at(r, c + step)] + map[at(r - half, c + half)] + map[at(r + half, c + half)]) / 4 + noise()
        map[at(r + half, c)] =
          (map[at(r, c)] + map[at(r + step, c)] + map[at(r + half, c - half)] + map[at(r + half, c + half)]) / 4 + noise()
      }
    wibble /= decay
  }
  let min = Infinity
  let max = -Infinity
  for (const v of map) {
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  for (let i = 0; i < map.length; i++) map[i] = (map[i] - min) / (max - min || 1)
  return map
}

export const fog: Corruption = {
  id: 'fog',
  apply(image, shape, severity, next) {
    const [c, decay] = level(FOG, severity, shape)
    const [h, w, channels] = shape
    const size = Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(h, w))))
    const plasma = plasmaFractal(size, decay, next)
    let max = 0
    for (const v of image) max = Math.max(max, v)
    return mapValues(image, (v, i) => {
      const p = Math.floor(i / channels)
      return ((v + c * plasma[Math.floor(p / w) * size + (p % w)]) * max) / (max + c)
    })
  }
}
