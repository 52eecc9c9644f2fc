/**
 * Spatial attacks — Engstrom, Tran, Tsipras, Schmidt & Madry, "Exploring the Landscape of Spatial
 * Robustness", ICML 2019. Settings and the paper's budget: api/attacks/spatial.ts.
 *
 * Worst-of-k: every sample is tried under k rigid motions (rotation about the centre, then a shift;
 * bilinear resampling, black fill — lab/corruptions/geometry.ts) and keeps the worst for the model:
 * the first motion that makes it misclassify (the paper counts a point as broken when any motion of
 * the grid does), else the one of highest cross-entropy loss. The grid variant tries the paper's
 * grid; the random variant k motions drawn uniformly from the same box. Both start from the untouched
 * image (0° and no shift is inside every budget), so neither can score above clean accuracy; a
 * sample already fooled is not queried again. Uses logits only, never gradients, so gradient masking
 * cannot hide a model from it.
 */
import * as tf from '@tensorflow/tfjs-core'
import { spatialGridDeclaration, spatialRandomDeclaration } from '../../api/attacks/spatial'
import { crossEntropyLoss, read, rng, subSeed } from './base'
import { defineAttack, type AlgorithmResult } from './runner'
import type { Classifier } from './types'
import { rotateTranslate, type ImageShape, type RigidMotion } from '../corruptions/geometry'

/** `count` evenly spaced values from −bound to bound (just 0 for one value or a zero bound). */
export function evenlySpaced(bound: number, count: number): number[] {
  if (count === 1 || bound === 0) return [0]
  return Array.from({ length: count }, (_, i) => -bound + (2 * bound * i) / (count - 1))
}

/** The paper's grid: every rotation × horizontal × vertical shift. */
export function spatialGrid(maxRotation: number, maxTranslation: number, rotations: number, translations: number): RigidMotion[] {
  const motions: RigidMotion[] = []
  for (const degrees of evenlySpaced(maxRotation, rotations))
    for (const dx of evenlySpaced(maxTranslation, translations))
      for (const dy of evenlySpaced(maxTranslation, translations)) motions.push({ degrees, dx, dy })
  return motions
}

/**
 * The worst motion per sample. `motionOf(j, i)` is the j-th motion tried on sample i; motion −1 is
 * the untouched image. Returns the chosen images, not yet clipped (the runner clips to [0, 1]).
 */
async function worstOf(
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  tries: number,
  motionOf: (j: number, i: number) => RigidMotion,
  progress?: (done: number, total: number) => void
): Promise<AlgorithmResult> {
  const [n, h, w, c] = x.shape
  const shape: ImageShape = [h, w, c]
  const size = h * w * c
  const images = Float32Array.from(x.dataSync())
  const labels = y.dataSync()
  const best = images.slice()
  const bestLoss = new Float32Array(n).fill(-Infinity)
  const fooled = new Uint8Array(n)
  const score = (batch: Float32Array, rows: number[]): { loss: Float32Array; wrong: Uint8Array } => {
    const out = tf.tidy(() => {
      const logits = model.logits(tf.tensor4d(batch, [rows.length, h, w, c]))
      const ys = tf.tensor1d(
        Int32Array.from(rows, (i) => labels[i]),
        'int32'
      )
      return { loss: crossEntropyLoss(logits, ys), wrong: tf.notEqual(tf.argMax(logits, 1), ys) }
    })
    const wrong = Uint8Array.from(out.wrong.dataSync())
    out.wrong.dispose()
    return { loss: read(out.loss), wrong }
  }
  const keep = (rows: number[], batch: Float32Array, loss: Float32Array, wrong: Uint8Array) => {
    rows.forEach((i, r) => {
      if (!wrong[r] && loss[r] <= bestLoss[i]) return
      best.set(batch.subarray(r * size, (r + 1) * size), i * size)
      bestLoss[i] = loss[r]
      if (wrong[r]) fooled[i] = 1
    })
  }
  const all = Array.from({ length: n }, (_, i) => i)
  const untouched = score(images, all)
  keep(all, images, untouched.loss, untouched.wrong)
  for (let j = 0; j < tries; j++) {
    const rows = all.filter((i) => !fooled[i])
    if (rows.length === 0) break
    const batch = new Float32Array(rows.length * size)
    rows.forEach((i, r) =>
      rotateTranslate(images.subarray(i * size, (i + 1) * size), shape, motionOf(j, i), batch.subarray(r * size, (r + 1) * size))
    )
    const { loss, wrong } = score(batch, rows)
    keep(rows, batch, loss, wrong)
    if (j % 25 === 24) {
      progress?.(j + 1, tries)
      await Promise.resolve()
    }
  }
  return { candidate: tf.tensor4d(best, [n, h, w, c]) }
}

export const spatialGridAttack = defineAttack(spatialGridDeclaration, async (model, x, y, { settings }, progress) => {
  const grid = spatialGrid(settings.maxRotation, settings.maxTranslation, settings.rotations, settings.translations)
  const result = await worstOf(model, x, y, grid.length, (j) => grid[j], progress)
  return { ...result, budget: { ...settings, motions: grid.length } }
})

export const spatialRandomAttack = defineAttack(spatialRandomDeclaration, async (model, x, y, { seed, settings }, progress) => {
  const { maxRotation, maxTranslation, k } = settings
  const next = rng(subSeed(seed, 'spatial-random'))
  const n = x.shape[0]
  // Drawn up front, sample by sample, so a sample's motions do not depend on which others were fooled.
  const motions = Array.from({ length: n }, () =>
    Array.from({ length: k }, () => ({
      degrees: (2 * next() - 1) * maxRotation,
      dx: (2 * next() - 1) * maxTranslation,
      dy: (2 * next() - 1) * maxTranslation
    }))
  )
  const result = await worstOf(model, x, y, k, (j, i) => motions[i][j], progress)
  return { ...result, budget: { ...settings } }
})
