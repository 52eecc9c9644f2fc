/**
 * What every attack shares, so each attack file is only its algorithm: the checks of a call (run
 * once by runner.ts, which also parses the settings against the attack's declaration), seeded random
 * numbers (drawn on the host, so cpu and wasm see the same numbers), projection onto the ε-ball and
 * [0, 1], per-sample losses, and one-pass logits + gradient.
 */
import * as tf from '@tensorflow/tfjs-core'
import { LabError } from '../../api/errors'
import type { AttackParams, Classifier, Norm } from './types'
import { mulberry32NonZero } from '../random'
import { exactSign, unitL2 } from '../engine/exact'

// ---------------------------------------------------------------- the call

/** Checks what every attack needs: a supported norm, ε ≥ 0, a seed, x and y of matching size. */
export function checkCall(
  id: string,
  norms: readonly Norm[],
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  params: AttackParams
): void {
  if (!norms.includes(params.norm))
    throw new LabError(
      'bad_input',
      `Attack ${id} supports the ${norms.join(' and ')} norm${norms.length > 1 ? 's' : ''}, not "${params.norm}".`,
      'norm'
    )
  if (typeof params.epsilon !== 'number' || !Number.isFinite(params.epsilon) || params.epsilon < 0)
    throw new LabError('bad_input', `Attack ${id}: epsilon must be a number ≥ 0 (got ${String(params.epsilon)}).`, 'epsilon')
  if (!Number.isFinite(params.seed))
    throw new LabError('bad_input', `Attack ${id}: seed must be a number (got ${String(params.seed)}).`, 'seed')
  if (x.shape[0] !== y.shape[0]) throw new Error(`attack ${id}: ${x.shape[0]} images but ${y.shape[0]} labels`)
  const [, h, w, c] = x.shape
  const [eh, ew, ec] = model.inputShape
  if (h !== eh || w !== ew || c !== ec)
    throw new Error(`attack ${id}: the classifier expects [N, ${eh}, ${ew}, ${ec}] images, got [${x.shape.join(', ')}]`)
}

// ---------------------------------------------------------------- randomness

/** The lab's seeded generator (random.ts), as the model initialisation uses it. */
export const rng = mulberry32NonZero

/** A seed for one purpose ("restart 2", "step 7") derived from the attack's seed. */
export function subSeed(seed: number, purpose: string | number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x85ebca6b) >>> 0
  const s = String(purpose)
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** U(lo, hi) tensor drawn on the host. */
export function uniform(shape: number[], lo: number, hi: number, seed: number): tf.Tensor {
  const next = rng(seed)
  const size = shape.reduce((a, b) => a * b, 1)
  const v = new Float32Array(size)
  for (let i = 0; i < size; i++) v[i] = lo + (hi - lo) * next()
  return tf.tensor(v, shape, 'float32')
}

/** N(0, 1) tensor drawn on the host (Box–Muller). */
export function normal(shape: number[], seed: number): tf.Tensor {
  const next = rng(seed)
  const size = shape.reduce((a, b) => a * b, 1)
  const v = new Float32Array(size)
  for (let i = 0; i < size; i += 2) {
    const u = Math.max(next(), 1e-12)
    const r = Math.sqrt(-2 * Math.log(u))
    const t = 2 * Math.PI * next()
    v[i] = r * Math.cos(t)
    if (i + 1 < size) v[i + 1] = r * Math.sin(t)
  }
  return tf.tensor(v, shape, 'float32')
}

// ---------------------------------------------------------------- geometry

/** Per-sample norm of a batch [N, …] as [N]. */
export function sampleNorms(d: tf.Tensor, norm: Norm): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.reshape(d, [d.shape[0], -1])
    return (norm === 'Linf' ? tf.max(tf.abs(flat), 1) : tf.sqrt(tf.sum(tf.square(flat), 1))) as tf.Tensor1D
  })
}

/** Broadcasts a per-sample [N] value over an image batch [N, H, W, C]. */
export function perSample(v: tf.Tensor, rank = 4): tf.Tensor {
  return tf.reshape(v, [v.shape[0], ...new Array(rank - 1).fill(1)])
}

/**
 * The projection every attack ends with: the nearest point of the ε-ball around x (in `norm`),
 * then clipped to [0, 1]. Clipping after the L2 projection cannot leave the ball, because x is in
 * [0, 1] and clipping only moves each coordinate toward x. `epsilon` may be per sample ([N]).
 */
export function projectToBall(x: tf.Tensor4D, candidate: tf.Tensor4D, norm: Norm, epsilon: number | tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const d = tf.sub(candidate, x)
    let projected: tf.Tensor
    if (norm === 'Linf') {
      if (typeof epsilon === 'number') projected = tf.clipByValue(d, -epsilon, epsilon)
      else {
        const e = perSample(epsilon)
        projected = tf.minimum(tf.maximum(d, tf.neg(e)), e)
      }
    } else {
      const n = sampleNorms(d, 'L2')
      const e = typeof epsilon === 'number' ? tf.scalar(epsilon) : epsilon
      // Scale factor min(1, ε/‖d‖); a zero perturbation stays zero.
      const scale = tf.minimum(tf.scalar(1), tf.div(e, tf.maximum(n, 1e-12)))
      projected = tf.mul(d, perSample(scale))
    }
    return tf.clipByValue(tf.add(x, projected), 0, 1) as tf.Tensor4D
  })
}

/** The steepest-ascent direction of a gradient in `norm`: sign(g) for L∞, g/‖g‖₂ for L2. */
export function ascentDirection(g: tf.Tensor4D, norm: Norm): tf.Tensor4D {
  return tf.tidy(() => {
    // Exact on every backend: wasm's own sign and a plain g/‖g‖ both lose tiny gradients (engine/exact.ts).
    return norm === 'Linf' ? exactSign(g) : unitL2(g)
  })
}

/** A uniformly random start inside the ε-ball (L∞: uniform cube; L2: uniform direction × radius). */
export function randomStart(x: tf.Tensor4D, norm: Norm, epsilon: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'Linf') return projectToBall(x, tf.add(x, uniform(x.shape, -epsilon, epsilon, seed)) as tf.Tensor4D, norm, epsilon)
    const g = normal(x.shape, seed)
    const dir = tf.div(g, perSample(tf.maximum(sampleNorms(g, 'L2'), 1e-12)))
    const d = x.size / x.shape[0]
    const r = uniform([x.shape[0]], 0, 1, subSeed(seed, 'radius'))
    const radius = tf.mul(tf.pow(r, 1 / d), epsilon)
    return projectToBall(x, tf.add(x, tf.mul(dir, perSample(radius))) as tf.Tensor4D, norm, epsilon)
  })
}

// ---------------------------------------------------------------- losses (per sample, [N])

function trueLogit(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.sum(tf.mul(logits, tf.oneHot(tf.cast(y, 'int32'), logits.shape[1])), 1) as tf.Tensor1D
}

/** Largest logit among the classes other than y. */
export function bestOtherLogit(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const mask = tf.oneHot(tf.cast(y, 'int32'), logits.shape[1])
    return tf.max(tf.sub(logits, tf.mul(mask, 1e9)), 1) as tf.Tensor1D
  })
}

/** Cross-entropy per sample. */
export function crossEntropyLoss(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(trueLogit(tf.logSoftmax(logits), y)) as tf.Tensor1D)
}

/** The C&W margin (Carlini & Wagner 2017): max_{j≠y} z_j − z_y; > 0 exactly when misclassified. */
export function marginLoss(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(bestOtherLogit(logits, y), trueLogit(logits, y)) as tf.Tensor1D)
}

/**
 * The k largest logits' values, sorted descending ([N, k]). Picked through one-hot masks of the
 * top-k indices, because TopK has no gradient in tfjs — the values are differentiable this way.
 */
function sortedLogits(logits: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    // A copy of the values off the gradient tape: only the choice of indices comes from it.
    const detached = tf.tensor2d(logits.dataSync() as Float32Array, logits.shape)
    const indices = tf.topk(detached, k, true).indices
    const masks = tf.oneHot(indices, logits.shape[1]) // [N, k, K]
    return tf.sum(tf.mul(masks, tf.reshape(logits, [logits.shape[0], 1, logits.shape[1]])), 2) as tf.Tensor2D
  })
}

/**
 * DLR (Croce & Hein 2020, eq. 6): −(z_y − max_{j≠y} z_j) / (z_π1 − z_π3), invariant to shifting and
 * scaling the logits — so saturated or temperature-scaled logits cannot hide the gradient.
 */
export function dlrLoss(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const s = sortedLogits(logits, Math.min(3, logits.shape[1]))
    const top1 = tf.squeeze(tf.slice(s, [0, 0], [-1, 1]), [1])
    const top3 = tf.squeeze(tf.slice(s, [0, s.shape[1] - 1], [-1, 1]), [1])
    return tf.div(tf.neg(tf.sub(trueLogit(logits, y), bestOtherLogit(logits, y))), tf.add(tf.sub(top1, top3), 1e-12)) as tf.Tensor1D
  })
}

/** Targeted DLR (Croce & Hein 2020, eq. 7): −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2). */
export function targetedDlrLoss(logits: tf.Tensor2D, y: tf.Tensor1D, target: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = Math.min(4, logits.shape[1])
    const s = sortedLogits(logits, k)
    const top1 = tf.squeeze(tf.slice(s, [0, 0], [-1, 1]), [1])
    const top3 = tf.squeeze(tf.slice(s, [0, Math.min(2, k - 1)], [-1, 1]), [1])
    const top4 = tf.squeeze(tf.slice(s, [0, k - 1], [-1, 1]), [1])
    const denom = tf.add(tf.sub(top1, tf.div(tf.add(top3, top4), 2)), 1e-12)
    return tf.div(tf.neg(tf.sub(trueLogit(logits, y), trueLogit(logits, target))), denom) as tf.Tensor1D
  })
}

export type SampleLoss = (logits: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D

// ---------------------------------------------------------------- the classifier, one pass

/** Logits and d(Σ loss)/dx at x, in one forward pass when the classifier offers it. */
export function logitsAndGradient(
  model: Classifier,
  x: tf.Tensor4D,
  loss: (logits: tf.Tensor2D) => tf.Tensor1D
): { logits: tf.Tensor2D; gradient: tf.Tensor4D } {
  const total = (logits: tf.Tensor2D): tf.Scalar => tf.sum(loss(logits)) as tf.Scalar
  if (model.logitsAndGradient) return model.logitsAndGradient(x, total)
  const gradient = model.gradient(x, total)
  return { logits: model.logits(x), gradient }
}

/** Predicted class per sample. */
export function predict(model: Classifier, x: tf.Tensor4D): Int32Array {
  const p = tf.tidy(() => tf.argMax(model.logits(x), 1))
  const v = p.dataSync() as Int32Array
  p.dispose()
  return Int32Array.from(v)
}

/** 1 where the prediction differs from y. */
export function misclassified(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32') as tf.Tensor1D)
}

/** where(mask[N], a, b) for image batches — as a blend with a 0/1 mask (tf.where with broadcasting is slow on wasm). */
export function selectSamples(mask: tf.Tensor1D, a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const m = perSample(tf.cast(mask, 'float32'))
    return tf.add(tf.mul(a, m), tf.mul(b, tf.sub(1, m))) as tf.Tensor4D
  })
}

/** Replaces a tensor variable's content, disposing the old one. */
export function swap<T extends tf.Tensor>(old: T, next: T): T {
  if (old !== next) old.dispose()
  return next
}

/** Gathers rows of x (and y) at the given indices. */
export function gatherRows<T extends tf.Tensor>(t: T, indices: number[] | Int32Array): T {
  return tf.tidy(() => tf.gather(t, tf.tensor1d(Int32Array.from(indices), 'int32')) as T)
}

/** Writes rows `src` into `dst` at `indices` (returns a new tensor). */
export function scatterRows(dst: tf.Tensor4D, indices: number[] | Int32Array, src: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const n = dst.shape[0]
    const idx = Int32Array.from(indices)
    if (idx.length === 0) return tf.clone(dst)
    // Position of each row in src, or -1: a gather from [src; dst] does the scatter in one op.
    const pick = new Int32Array(n)
    for (let i = 0; i < n; i++) pick[i] = idx.length + i
    idx.forEach((row, j) => (pick[row] = j))
    return tf.gather(tf.concat([src, dst], 0), tf.tensor1d(pick, 'int32')) as tf.Tensor4D
  })
}

/** Splits a batch into chunks of at most `size` rows (attacks are batched; this bounds memory). */
export function chunks(n: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)])
  return out
}

/** Indices where flag is false (e.g. points still robust). */
export function indicesWhere(flags: ArrayLike<number | boolean>, want: boolean): number[] {
  const out: number[] = []
  for (let i = 0; i < flags.length; i++) if (Boolean(flags[i]) === want) out.push(i)
  return out
}

/** Reads a small tensor and disposes it. */
export function read<T extends tf.Tensor>(t: T): Float32Array {
  const v = Float32Array.from(t.dataSync() as Float32Array)
  t.dispose()
  return v
}
