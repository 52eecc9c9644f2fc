/**
 * The spatial attacks (Engstrom et al. 2019) and the rigid motion they are built on, checked
 * against what can be computed by hand: the identity returns the input bit for bit, a whole-pixel
 * shift moves pixels and lets black in, a 90° turn is an index permutation, and an attack whose
 * budget is 0° and 0 px returns its input. Its output stays in [0, 1] and it ignores ε.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { classifierFromModel } from '../../../src-main/lab/attacks/classifier'
import { attacks } from '../../../src-main/lab/attacks'
import { rng } from '../../../src-main/lab/attacks/base'
import { evenlySpaced, spatialGrid } from '../../../src-main/lab/attacks/spatial'
import { rotateTranslate } from '../../../src-main/lab/corruptions/geometry'
import { attackDeclaration, resolveAttackSettings } from '../../../src-main/api/attacks'
import { spatialResultKey } from '../../../src-main/api/attacks/spatial'

const random = (n: number, seed: number): Float32Array => {
  const r = rng(seed)
  return Float32Array.from({ length: n }, () => r())
}

beforeAll(async () => {
  await initEngine('wasm')
})

describe('rotation and translation (bilinear, black fill)', () => {
  it('at 0° and no shift returns the image bit for bit', () => {
    const image = random(5 * 7 * 3, 1)
    expect(rotateTranslate(image, [5, 7, 3], { degrees: 0, dx: 0, dy: 0 })).toEqual(image)
  })

  it('shifts by whole pixels exactly, filling what comes in with black', () => {
    const image = random(4 * 4, 2)
    const out = rotateTranslate(image, [4, 4, 1], { degrees: 0, dx: 1, dy: -1 })
    for (let row = 0; row < 4; row++)
      for (let col = 0; col < 4; col++) {
        // Output (row, col) came from (row + 1, col − 1): outside the image it is black.
        const from = row + 1 < 4 && col - 1 >= 0 ? image[(row + 1) * 4 + col - 1] : 0
        expect(out[row * 4 + col]).toBe(from)
      }
  })

  it('turns a square image by 90° as the index permutation (r, c) → (W − 1 − c, r) does', () => {
    const image = random(5 * 5, 3)
    const out = rotateTranslate(image, [5, 5, 1], { degrees: 90, dx: 0, dy: 0 })
    // Counter-clockwise on screen: output (r, c) shows input (c, W − 1 − r).
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) expect(out[r * 5 + c]).toBeCloseTo(image[c * 5 + (4 - r)], 5)
  })

  it('mixes the two neighbours by the fractional shift (half a pixel: their mean)', () => {
    const image = Float32Array.from([0, 1, 0.5, 0.25])
    const out = rotateTranslate(image, [1, 4, 1], { degrees: 0, dx: 0.5, dy: 0 })
    expect(Array.from(out)).toEqual([0, 0.5, 0.75, 0.375])
  })
})

describe('the grid of Engstrom et al.', () => {
  it('is 31 rotations × 5 × 5 shifts = 775 motions within ±30°, ±3 px, including the identity', () => {
    const grid = spatialGrid(30, 3, 31, 5)
    expect(grid).toHaveLength(775)
    expect(Math.max(...grid.map((m) => Math.abs(m.degrees)))).toBeCloseTo(30, 10)
    expect(Math.max(...grid.map((m) => Math.abs(m.dx)))).toBe(3)
    expect(grid).toContainEqual({ degrees: 0, dx: 0, dy: 0 })
    expect(evenlySpaced(3, 5)).toEqual([-3, -1.5, 0, 1.5, 3])
  })

  it("has the paper's budget as defaults and files its results under norm 'spatial' at its rotation bound", () => {
    expect(resolveAttackSettings(attackDeclaration('spatial-grid'), {}, { epsilon: 0.3, numClasses: 10 })).toEqual({
      maxRotation: 30,
      maxTranslation: 3,
      rotations: 31,
      translations: 5
    })
    expect(resolveAttackSettings(attackDeclaration('spatial-random'), {}, { epsilon: 0.3, numClasses: 10 })).toEqual({
      maxRotation: 30,
      maxTranslation: 3,
      k: 10
    })
    expect(spatialResultKey(attackDeclaration('spatial-random'), { maxRotation: 15 })).toEqual({ norm: 'spatial', epsilon: 15 })
    expect(spatialResultKey(attackDeclaration('pgd'), {})).toBeNull()
    expect(() => resolveAttackSettings(attackDeclaration('spatial-grid'), { maxRotation: 400 }, { epsilon: 0.3, numClasses: 10 })).toThrow(
      /maxRotation.*≤ 180.*400/
    )
  })
})

describe('the spatial attacks', () => {
  const model = () => classifierFromModel(createModel({ arch: 'cnn-small', inputShape: [12, 12, 1], numClasses: 4, width: 0.25, seed: 5 }))
  const x = () => tf.tensor4d(random(6 * 12 * 12, 4), [6, 12, 12, 1])
  const y = () => tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32')

  for (const id of ['spatial-grid', 'spatial-random']) {
    it(`${id} with a budget of 0° and 0 px returns the input`, async () => {
      const [images, labels] = [x(), y()]
      const result = await attacks[id].run(model(), images, labels, {
        norm: 'Linf',
        epsilon: 0.3,
        seed: 1,
        maxRotation: 0,
        maxTranslation: 0
      })
      expect(result.adversarial.dataSync()).toEqual(images.dataSync())
      tf.dispose([images, labels, result.adversarial])
    })

    it(`${id} stays in [0, 1], ignores ε and leaves no tensor behind`, async () => {
      const classifier = model()
      const [images, labels] = [x(), y()]
      ;(await attacks.fgsm.run(classifier, images, labels, { norm: 'Linf', epsilon: 0.1, seed: 0 })).adversarial.dispose()
      const before = tf.memory().numTensors
      const small = id === 'spatial-grid' ? { rotations: 5, translations: 3 } : { k: 5 }
      const a = await attacks[id].run(classifier, images, labels, { norm: 'Linf', epsilon: 0.01, seed: 2, ...small })
      const b = await attacks[id].run(classifier, images, labels, { norm: 'Linf', epsilon: 0.5, seed: 2, ...small })
      const values = a.adversarial.dataSync()
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
      expect(Math.max(...values)).toBeLessThanOrEqual(1)
      // Not projected onto the ε-ball: a motion changes pixels by far more than ε = 0.01 …
      const moved = values.some((v, i) => Math.abs(v - images.dataSync()[i]) > 0.01)
      expect(moved).toBe(true)
      // … and ε changes nothing.
      expect(b.adversarial.dataSync()).toEqual(values)
      tf.dispose([a.adversarial, b.adversarial])
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([images, labels])
    })
  }
})
