/**
 * Square Attack — Andriushchenko, Croce, Flammarion & Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020. Score-based: uses logits only, never
 * gradients, so gradient masking cannot stop it.
 *
 * L∞: start from vertical stripes of ±ε; each iteration change one random s×s square (per point) to
 * ±ε per channel and keep the change if the margin z_y − max_{j≠y} z_j went down. The square's side
 * is s = round(√(p·H·W)), with p halved at iterations 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000
 * (rescaled to a budget of 10,000 queries).
 * L2: the same random search on squares, each new square filled with the paper's "pseudo-Gaussian"
 * bump (two halves of opposite sign) scaled to the square's current energy plus the unused budget —
 * a one-square simplification of the paper's two-square update.
 * Settings and defaults (AutoAttack standard: queries 5000, pInit 0.8): api/attacks/square.ts. Only
 * points not yet fooled are queried.
 */
import * as tf from '@tensorflow/tfjs-core'
import { squareDeclaration } from '../../api/attacks/square'
import { gatherRows, marginLoss, perSample, projectToBall, read, rng, sampleNorms, scatterRows, subSeed, swap } from './base'
import { defineAttack } from './runner'
import type { Norm } from './types'

/** The paper's schedule of the fraction p of pixels changed per iteration. */
export function squareFraction(pInit: number, iteration: number, queries: number): number {
  const it = Math.floor((iteration / queries) * 10000)
  const bounds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000]
  let halvings = 0
  for (const b of bounds) if (it > b) halvings++
  return pInit / 2 ** halvings
}

/** The paper's pseudo-Gaussian s×s pattern: concentric rings weighted 1/(ring+1)², halves of opposite sign. */
function bump(s: number): Float32Array {
  const out = new Float32Array(s * s)
  const half = Math.max(1, Math.floor(s / 2))
  for (let i = 0; i < s; i++)
    for (let j = 0; j < s; j++) {
      const local = j < half ? j : j - half
      const width = j < half ? half : s - half
      const c = (width - 1) / 2
      const ci = (s - 1) / 2
      const ring = Math.max(Math.abs(i - ci), Math.abs(local - c))
      out[i * s + j] = (j < half ? 1 : -1) / (ring + 1) ** 2
    }
  let n = 0
  for (const v of out) n += v * v
  n = Math.sqrt(n) || 1
  for (let i = 0; i < out.length; i++) out[i] /= n
  return out
}

export const square = defineAttack(squareDeclaration, async (model, x, y, call, progress) => {
  const { queries: budget, pInit } = call.settings
  const norm: Norm = call.norm
  const eps = call.epsilon
  const [n, h, w, c] = x.shape
  const next = rng(subSeed(call.seed, 'square'))
  const sign = () => (next() < 0.5 ? -1 : 1)

  // Start: vertical stripes of ±ε per column and channel (L2: the same, scaled to norm ε).
  const stripes = new Float32Array(n * h * w * c)
  for (let i = 0; i < n; i++)
    for (let col = 0; col < w; col++)
      for (let ch = 0; ch < c; ch++) {
        const v = sign() * eps
        for (let row = 0; row < h; row++) stripes[((i * h + row) * w + col) * c + ch] = v
      }
  let adversarial = tf.tidy(() => {
    let d: tf.Tensor = tf.tensor4d(stripes, [n, h, w, c])
    if (norm === 'L2') d = tf.mul(d, perSample(tf.div(eps, tf.maximum(sampleNorms(d, 'L2'), 1e-12))))
    return projectToBall(x, tf.add(x, d) as tf.Tensor4D, norm, eps)
  })
  const margin = read(tf.tidy(() => tf.neg(marginLoss(model.logits(adversarial), y))))
  const queries = new Int32Array(n).fill(1)

  for (let iteration = 1; iteration < budget; iteration++) {
    const active: number[] = []
    for (let i = 0; i < n; i++) if (margin[i] > 0) active.push(i)
    if (active.length === 0) break
    const p = squareFraction(pInit, iteration, budget)
    const s = Math.min(Math.max(Math.round(Math.sqrt(p * h * w)), 1), Math.max(h - 1, 1), Math.max(w - 1, 1))
    const k = active.length
    const mask = new Float32Array(k * h * w)
    const fill = new Float32Array(k * h * w * c)
    const pattern = norm === 'L2' ? bump(s) : null
    for (let a = 0; a < k; a++) {
      const top = Math.floor(next() * (h - s + 1))
      const left = Math.floor(next() * (w - s + 1))
      const signs = Array.from({ length: c }, sign)
      for (let i = 0; i < s; i++)
        for (let j = 0; j < s; j++) {
          const pix = (a * h + top + i) * w + left + j
          mask[pix] = 1
          for (let ch = 0; ch < c; ch++) fill[pix * c + ch] = signs[ch] * (pattern ? pattern[i * s + j] : eps)
        }
    }
    const xs = gatherRows(x, active)
    const candidate = tf.tidy(() => {
      const current = gatherRows(adversarial, active)
      const delta = tf.sub(current, xs)
      const m = tf.tensor4d(mask, [k, h, w, 1])
      const keep = tf.mul(delta, tf.sub(1, m))
      let inside = tf.tensor4d(fill, [k, h, w, c])
      if (norm === 'L2') {
        // Energy for the new square: what the square held plus the unused part of the budget.
        const windowEnergy = tf.sum(tf.square(tf.mul(delta, m)), [1, 2, 3])
        const slack = tf.relu(tf.sub(eps * eps, tf.sum(tf.square(delta), [1, 2, 3])))
        inside = tf.mul(inside, perSample(tf.sqrt(tf.add(windowEnergy, slack))))
      }
      return projectToBall(xs, tf.add(xs, tf.add(keep, tf.mul(inside, m))) as tf.Tensor4D, norm, eps)
    })
    const ys = gatherRows(y, active)
    const newMargin = read(tf.tidy(() => tf.neg(marginLoss(model.logits(candidate), ys))))
    const better: number[] = []
    const from: number[] = []
    active.forEach((row, j) => {
      queries[row] += 1
      if (newMargin[j] < margin[row]) {
        margin[row] = newMargin[j]
        better.push(row)
        from.push(j)
      }
    })
    if (better.length > 0) {
      const picked = gatherRows(candidate, from)
      adversarial = swap(adversarial, scatterRows(adversarial, better, picked))
      picked.dispose()
    }
    tf.dispose([xs, ys, candidate])
    if (iteration % 10 === 0) {
      progress?.(iteration, budget)
      await Promise.resolve()
    }
  }
  return { candidate: adversarial, queries, budget: { queries: budget, pInit, loss: 'margin' } }
})
