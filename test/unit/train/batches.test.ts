import { describe, expect, it } from 'vitest'
import { epochPermutation, gatherBatch, type ImageSet } from '../../../src-main/lab/train/batches'

/** Each pixel's value encodes (image, row, column, channel), so any layout slip shows. */
function encodedSet(n: number, h: number, w: number, c: number): ImageSet {
  const images = new Float32Array(n * h * w * c)
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) images[((i * h + y) * w + x) * c + k] = i * 1000 + y * 100 + x * 10 + k
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 10), n, height: h, width: w, channels: c }
}
const at = (b: Float32Array, h: number, w: number, c: number, i: number, y: number, x: number, k: number) =>
  b[((i * h + y) * w + x) * c + k]

describe('epoch permutations', () => {
  it('are permutations, the same for the same (seed, epoch), different across epochs and seeds', () => {
    const a = epochPermutation(100, 7, 0)
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(100).keys()])
    expect(epochPermutation(100, 7, 0)).toEqual(a)
    expect(epochPermutation(100, 7, 1)).not.toEqual(a)
    expect(epochPermutation(100, 8, 0)).not.toEqual(a)
  })
})

describe('gatherBatch', () => {
  const set = encodedSet(5, 4, 6, 3)

  it('copies the chosen images and labels unchanged without augmentation', () => {
    const { images, labels } = gatherBatch(set, [3, 1], null, 0)
    expect(Array.from(labels)).toEqual([3, 1])
    expect(at(images, 4, 6, 3, 0, 2, 5, 1)).toBe(3000 + 200 + 50 + 1)
    expect(at(images, 4, 6, 3, 1, 0, 0, 2)).toBe(1002)
  })

  it('flips horizontally: column x comes from column w−1−x', () => {
    // With only flipping on, over many seeds both outcomes appear and each is an exact mirror.
    const seen = new Set<string>()
    for (let seed = 0; seed < 20; seed++) {
      const { images } = gatherBatch(set, [2], { cropPadding: 0, horizontalFlip: true }, seed)
      const flipped = at(images, 4, 6, 3, 0, 1, 0, 0) === 2000 + 100 + 50
      if (flipped) for (let x = 0; x < 6; x++) expect(at(images, 4, 6, 3, 0, 3, x, 2)).toBe(2000 + 300 + (5 - x) * 10 + 2)
      else for (let x = 0; x < 6; x++) expect(at(images, 4, 6, 3, 0, 3, x, 2)).toBe(2000 + 300 + x * 10 + 2)
      seen.add(String(flipped))
    }
    expect(seen).toEqual(new Set(['true', 'false']))
  })

  it('crops a zero-padded image: pixels shift by the same offset and the border fills with zeros', () => {
    for (let seed = 0; seed < 30; seed++) {
      const { images } = gatherBatch(set, [4], { cropPadding: 2, horizontalFlip: false }, seed)
      // Find the shift from any in-range pixel, then check the whole image against it.
      let shift: [number, number] | null = null
      for (let y = 0; y < 4 && !shift; y++)
        for (let x = 0; x < 6 && !shift; x++) {
          const v = at(images, 4, 6, 3, 0, y, x, 0)
          if (v !== 0) shift = [Math.floor((v - 4000) / 100) - y, Math.floor(((v - 4000) % 100) / 10) - x]
        }
      expect(shift).not.toBeNull()
      const [dy, dx] = shift!
      expect(Math.abs(dy)).toBeLessThanOrEqual(2)
      expect(Math.abs(dx)).toBeLessThanOrEqual(2)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 6; x++) {
          const inside = y + dy >= 0 && y + dy < 4 && x + dx >= 0 && x + dx < 6
          expect(at(images, 4, 6, 3, 0, y, x, 1)).toBe(inside ? 4000 + (y + dy) * 100 + (x + dx) * 10 + 1 : 0)
        }
    }
  })

  it('gives the same augmented batch for the same seed', () => {
    const opts = { cropPadding: 2, horizontalFlip: true }
    expect(gatherBatch(set, [0, 1, 2], opts, 42).images).toEqual(gatherBatch(set, [0, 1, 2], opts, 42).images)
  })
})
