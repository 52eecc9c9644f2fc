/**
 * Certified accuracy by CROWN (Zhang et al. 2018, "Efficient Neural Network Robustness Certification
 * with General Activation Functions"): the margin z_y − z_j is written as a linear function of the
 * input by walking back through the network, replacing every ReLU by linear bounds — the chord
 * above, a line of slope 1 (when u ≥ −l) or 0 below (the adaptive lower slope) — and then minimised
 * in closed form over the L∞ ball intersected with [0, 1]. The ReLUs' pre-activation bounds come
 * from the same back-substitution where the layer is small enough (`maxCrownNeurons`), from
 * intervals otherwise; both are sound, so each layer keeps their intersection.
 *
 * Max-pooling is not in the paper; its relaxation is DeepPoly's (Singh et al. 2019): below by the
 * window's input with the largest lower bound, above by that input when it dominates the window
 * (its lower bound ≥ every other upper bound), else by the largest upper bound.
 *
 * CROWN's linear relaxation is not tighter than intervals neuron by neuron (a slope-1 lower line
 * goes below 0), so the certificate keeps the larger of the back-substituted bound and the interval
 * bound through the same (tightened) layer bounds: both are sound, and the second is never looser
 * than plain IBP because every layer's box is contained in IBP's.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { SequentialLayer } from '../eval/sequential'
import { conv2dInputGradient } from '../engine/convGradients'

export interface CrownResult {
  epsilon: number
  /** Per sample: 1 when certified robust at ε. */
  certified: Uint8Array
  certifiedAccuracy: number
  /** Per sample: the certified lower bound of min_j (z_y − z_j); > 0 means certified. */
  marginLowerBounds: Float32Array
  /** Per sample: the back-substituted bound alone (before taking the interval bound's if larger). */
  backSubstitutedBounds: Float32Array
  /** Pre-activation bounds by layer name: how each ReLU layer's bounds were found. */
  intermediate: Record<string, 'interval' | 'crown'>
}

export interface CrownOptions {
  /** ReLU layers with more neurons than this get interval pre-activation bounds (memory and time). */
  maxCrownNeurons?: number
  /** Floats a batch of back-substitution coefficients may hold; images are batched to fit. */
  maxFloats?: number
}

/** One step of the network as the backward pass sees it; ReLU and pooling carry their input bounds. */
type Op =
  | { kind: 'normalise'; scale: number[]; shift: number[] }
  | { kind: 'conv'; filter: tf.Tensor4D; bias: tf.Tensor1D; inShape: number[] }
  | { kind: 'linear'; weight: tf.Tensor2D; bias: tf.Tensor1D }
  | { kind: 'flatten'; inShape: number[] }
  | { kind: 'relu'; lower: tf.Tensor; upper: tf.Tensor }
  | { kind: 'maxpool'; lower: tf.Tensor4D; upper: tf.Tensor4D }

export function certifyCrown(
  layers: SequentialLayer[],
  images: Float32Array,
  labels: Int32Array,
  shape: [number, number, number],
  epsilon: number,
  options: CrownOptions = {}
): CrownResult {
  const n = labels.length
  const size = shape[0] * shape[1] * shape[2]
  const neurons = options.maxCrownNeurons ?? 2048
  const { widest, rows } = backSubstitutionSize(layers, shape, neurons)
  const batch = Math.max(1, Math.floor((options.maxFloats ?? 5e6) / (rows * widest)))
  const bounds = new Float32Array(n)
  const crownOnly = new Float32Array(n)
  let intermediate: Record<string, 'interval' | 'crown'> = {}
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch)
    tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...shape])
      const r = marginBounds(layers, x, labels.subarray(start, end), epsilon, neurons)
      bounds.set(r.certified.dataSync() as Float32Array, start)
      crownOnly.set(r.crown.dataSync() as Float32Array, start)
      intermediate = r.intermediate
    })
  }
  const certified = Uint8Array.from(bounds, (b) => (b > 0 ? 1 : 0))
  return {
    epsilon,
    certified,
    certifiedAccuracy: n ? certified.reduce((a, b) => a + b, 0) / n : 0,
    marginLowerBounds: bounds,
    backSubstitutedBounds: crownOnly,
    intermediate
  }
}

/**
 * The most values one image's activations take in any layer, and the most rows a back-substitution
 * carries: 2 per neuron of the largest ReLU layer that gets CROWN bounds, or one per class.
 */
function backSubstitutionSize(
  layers: SequentialLayer[],
  shape: [number, number, number],
  maxCrownNeurons: number
): { widest: number; rows: number } {
  let [h, w, c] = shape
  let widest = h * w * c
  let rows = 0
  let seenRelu = false
  for (const layer of layers) {
    let count = 0
    if (layer.kind === 'conv') count = h * w * (c = layer.shape[3])
    else if (layer.kind === 'linear') count = layer.outputs
    else if (layer.kind === 'maxpool') [h, w] = [Math.floor(h / 2), Math.floor(w / 2)]
    widest = Math.max(widest, count)
    if ((layer.kind === 'conv' || layer.kind === 'linear') && layer.relu) {
      if (seenRelu && count <= maxCrownNeurons) rows = Math.max(rows, 2 * count)
      seenRelu = true
    }
    if (layer.kind === 'linear' && !layer.relu) rows = Math.max(rows, layer.outputs)
  }
  return { widest, rows }
}

function marginBounds(layers: SequentialLayer[], x: tf.Tensor4D, labels: Int32Array, epsilon: number, maxCrownNeurons: number) {
  const last = layers[layers.length - 1]
  if (last.kind !== 'linear') throw new Error('CROWN needs a model that ends in a linear layer')
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), last.outputs) as tf.Tensor2D
  const r = marginBoundsByClass(layers, x, onehot, epsilon, { maxCrownNeurons })
  // The own class's margin is 0 by definition: excluded from the minimum.
  const minimum = (t: tf.Tensor) => tf.min(tf.add(t, tf.mul(onehot, 1e30)), 1)
  return { certified: minimum(tf.maximum(r.crown!, r.interval)), crown: minimum(r.crown!), intermediate: r.intermediate }
}

/** Where the weights of a conv or linear layer come from: the layer's own arrays, or live tensors (training). */
export type WeightsOf = (layer: Extract<SequentialLayer, { kind: 'conv' | 'linear' }>) => { weight: tf.Tensor; bias: tf.Tensor1D }

const weightsFromArrays: WeightsOf = (layer) =>
  layer.kind === 'conv'
    ? { weight: tf.tensor4d(layer.filter, layer.shape), bias: tf.tensor1d(layer.bias) }
    : { weight: tf.tensor2d(layer.weight, [layer.inputs, layer.outputs]), bias: tf.tensor1d(layer.bias) }

export interface MarginBoundOptions {
  /** ReLU layers up to this many neurons get CROWN pre-activation bounds; 0 = intervals only (CROWN-IBP). */
  maxCrownNeurons: number
  /** Default: the arrays in `layers`. */
  weightsOf?: WeightsOf
  /** false: only the interval bound (IBP), without the back-substitution. */
  crown?: boolean
}

/**
 * Lower bounds of every margin z_y − z_j ([B, K]; 0 in the own class's column, `onehot`) over the
 * L∞ ball ∩ [0, 1]: back-substituted (CROWN) and by intervals through the same layer bounds.
 * Differentiable in the weights when `weightsOf` gives variables (CROWN-IBP training).
 */
export function marginBoundsByClass(
  layers: SequentialLayer[],
  x: tf.Tensor4D,
  onehot: tf.Tensor2D,
  epsilon: number,
  options: MarginBoundOptions
) {
  const weightsOf = options.weightsOf ?? weightsFromArrays
  const inputLower = tf.clipByValue(tf.sub(x, epsilon), 0, 1)
  const inputUpper = tf.clipByValue(tf.add(x, epsilon), 0, 1)
  const last = layers[layers.length - 1]
  if (last.kind !== 'linear') throw new Error('CROWN needs a model that ends in a linear layer')
  const ops: Op[] = []
  const intermediate: Record<string, 'interval' | 'crown'> = {}
  let lower: tf.Tensor = inputLower
  let upper: tf.Tensor = inputUpper
  let seenRelu = false
  for (const layer of layers.slice(0, -1)) {
    switch (layer.kind) {
      case 'normalise':
        ops.push({ kind: 'normalise', scale: layer.scale, shift: layer.shift })
        ;[lower, upper] = intervalAffine(ops[ops.length - 1], lower, upper)
        break
      case 'flatten':
        ops.push({ kind: 'flatten', inShape: lower.shape.slice(1) })
        lower = tf.reshape(lower, [lower.shape[0], -1])
        upper = tf.reshape(upper, [upper.shape[0], -1])
        break
      case 'maxpool':
        ops.push({ kind: 'maxpool', lower: lower as tf.Tensor4D, upper: upper as tf.Tensor4D })
        lower = tf.maxPool(lower as tf.Tensor4D, 2, 2, 'valid')
        upper = tf.maxPool(upper as tf.Tensor4D, 2, 2, 'valid')
        break
      case 'conv':
      case 'linear': {
        const { weight, bias } = weightsOf(layer)
        const op: Op =
          layer.kind === 'conv'
            ? { kind: 'conv', filter: weight as tf.Tensor4D, bias, inShape: lower.shape.slice(1) }
            : { kind: 'linear', weight: weight as tf.Tensor2D, bias }
        ops.push(op)
        ;[lower, upper] = intervalAffine(op, lower, upper)
        if (!layer.relu) break
        const count = lower.size / lower.shape[0]
        // Before the first ReLU the network is affine and intervals are already exact.
        if (seenRelu && count <= options.maxCrownNeurons) {
          const [l, u] = crownNeuronBounds(ops, lower.shape.slice(1), inputLower, inputUpper)
          lower = tf.maximum(lower, l)
          upper = tf.maximum(lower, tf.minimum(upper, u))
          intermediate[layer.name] = 'crown'
        } else intermediate[layer.name] = 'interval'
        ops.push({ kind: 'relu', lower, upper })
        lower = tf.relu(lower)
        upper = tf.relu(upper)
        seenRelu = true
        break
      }
    }
  }
  // The margins z_y − z_j as rows through the last layer: (W_y − W_j)ᵀ h + (b_y − b_j).
  const { weight, bias: lastBias } = weightsOf(last)
  const w = weight as tf.Tensor2D
  const own = tf.matMul(onehot, w, false, true) // [B, in]: W_y
  const rows = tf.sub(tf.expandDims(own, 1), tf.expandDims(tf.transpose(w), 0)) // [B, K, in]
  const bias = tf.sub(tf.sum(tf.mul(onehot, lastBias), 1, true), tf.expandDims(lastBias, 0)) // [B, K]
  const crown = options.crown === false ? null : (tf.add(backSubstitute(ops, rows, inputLower, inputUpper), bias) as tf.Tensor2D)
  // The same rows on the last hidden layer's box: c·mid − |c|·rad.
  const mid = tf.expandDims(tf.div(tf.add(lower, upper), 2), 1)
  const rad = tf.expandDims(tf.div(tf.sub(upper, lower), 2), 1)
  const interval = tf.add(tf.sub(tf.sum(tf.mul(rows, mid), 2), tf.sum(tf.mul(tf.abs(rows), rad), 2)), bias) as tf.Tensor2D
  return { crown, interval, intermediate }
}

/** Lower and upper bounds of the last op's outputs: back-substitution of +I and −I rows. */
function crownNeuronBounds(ops: Op[], shape: number[], inputLower: tf.Tensor, inputUpper: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const b = inputLower.shape[0]
  const m = shape.reduce((a, c) => a * c, 1)
  const eye = tf.eye(m)
  const rows = tf.tile(tf.expandDims(tf.concat([eye, tf.neg(eye)], 0), 0), [b, 1, 1]) // [B, 2m, m]
  const bound = backSubstitute(ops, tf.reshape(rows, [b, 2 * m, ...shape]), inputLower, inputUpper) // [B, 2m]
  const low = tf.reshape(tf.slice(bound, [0, 0], [-1, m]), [b, ...shape])
  const high = tf.reshape(tf.neg(tf.slice(bound, [0, m], [-1, m])), [b, ...shape])
  return [low, high]
}

/**
 * The lower bound, over the input box, of every row of `rows` [B, S, ...shape] applied to the output
 * of `ops` (applied to the input in order): Λ is carried back op by op with a constant term.
 */
function backSubstitute(ops: Op[], rows: tf.Tensor, inputLower: tf.Tensor, inputUpper: tf.Tensor): tf.Tensor2D {
  const [b, s] = rows.shape
  let lambda = rows
  let constant: tf.Tensor = tf.zeros([b, s])
  const flat = (t: tf.Tensor) => tf.reshape(t, [b * s, ...t.shape.slice(2)])
  const split = (t: tf.Tensor) => tf.reshape(t, [b, s, ...t.shape.slice(1)])
  const sumRows = (t: tf.Tensor) => tf.sum(tf.reshape(t, [b, s, -1]), 2)
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]
    switch (op.kind) {
      case 'linear':
        constant = tf.add(constant, tf.sum(tf.mul(lambda, op.bias), 2))
        lambda = split(tf.matMul(flat(lambda) as tf.Tensor2D, op.weight, false, true))
        break
      case 'conv':
        constant = tf.add(constant, sumRows(tf.mul(lambda, op.bias)))
        lambda = split(transposedConv(flat(lambda) as tf.Tensor4D, op.filter, [b * s, ...op.inShape]))
        break
      case 'normalise':
        constant = tf.add(constant, sumRows(tf.mul(lambda, op.shift)))
        lambda = tf.mul(lambda, op.scale)
        break
      case 'flatten':
        lambda = tf.reshape(lambda, [b, s, ...op.inShape])
        break
      case 'relu': {
        const l = tf.expandDims(op.lower, 1)
        const u = tf.expandDims(op.upper, 1)
        // Masks by tf.step (x > 0), whose gradient is 0: training differentiates through the bounds, not the choices.
        const active = tf.step(l)
        const unstable = tf.mul(tf.step(u), tf.sub(1, active))
        // Chord u·(z − l)/(u − l) above an unstable neuron; slope 1 below it when u ≥ −l, else 0.
        const chord = tf.div(u, tf.maximum(tf.sub(u, l), 1e-12))
        const upperSlope = tf.add(active, tf.mul(unstable, chord))
        const upperIntercept = tf.mul(tf.mul(unstable, chord), tf.neg(l))
        const lowerSlope = tf.add(active, tf.mul(unstable, tf.step(tf.add(u, l))))
        const positive = tf.relu(lambda)
        const negative = tf.minimum(lambda, 0)
        constant = tf.add(constant, sumRows(tf.mul(negative, upperIntercept)))
        lambda = tf.add(tf.mul(positive, lowerSlope), tf.mul(negative, upperSlope))
        break
      }
      case 'maxpool':
        ;[lambda, constant] = backThroughMaxPool(op, lambda, constant, sumRows)
        break
    }
  }
  const mid = tf.expandDims(tf.div(tf.add(inputLower, inputUpper), 2), 1)
  const rad = tf.expandDims(tf.div(tf.sub(inputUpper, inputLower), 2), 1)
  return tf.add(constant, tf.sub(sumRows(tf.mul(lambda, mid)), sumRows(tf.mul(tf.abs(lambda), rad)))) as tf.Tensor2D
}

/**
 * Λ through a 'same'-padded stride-1 conv, backwards (the conv's transpose). For an odd filter this is
 * the conv with the filter flipped in space and its channels swapped — plain tf ops, so training can
 * differentiate it in the weights (conv2dInputGradient builds its filter on the host, for attacks).
 */
function transposedConv(lambda: tf.Tensor4D, filter: tf.Tensor4D, inShape: number[]): tf.Tensor4D {
  const [kh, kw] = filter.shape
  if (kh % 2 === 0 || kw % 2 === 0) return conv2dInputGradient(inShape, lambda, filter, 1, 'same')
  return tf.conv2d(lambda, tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]), 1, 'same')
}

/** The four inputs of each 2×2 window, stacked last ([B, h, w, C, 4], order (0,0), (0,1), (1,0), (1,1)); an odd last row or column is dropped, as by max-pooling. */
function windows(t: tf.Tensor4D): tf.Tensor {
  const [b, hh, ww, c] = t.shape
  const h = Math.floor(hh / 2)
  const w = Math.floor(ww / 2)
  const even = hh === 2 * h && ww === 2 * w ? t : tf.slice(t, [0, 0, 0, 0], [b, 2 * h, 2 * w, c])
  return tf.reshape(tf.transpose(tf.reshape(even, [b, h, 2, w, 2, c]), [0, 1, 3, 5, 2, 4]), [b, h, w, c, 4])
}

/** The inverse of `windows`: [N, h, w, C, 4] back into [N, H, W, C], zeros in an odd last row or column. */
function unwindow(stacked: tf.Tensor, hh: number, ww: number): tf.Tensor {
  const [n, h, w, c] = stacked.shape
  const full = tf.reshape(tf.transpose(tf.reshape(stacked, [n, h, w, c, 2, 2]), [0, 1, 4, 2, 5, 3]), [n, 2 * h, 2 * w, c])
  return hh === 2 * h && ww === 2 * w
    ? full
    : tf.pad(full, [
        [0, 0],
        [0, hh - 2 * h],
        [0, ww - 2 * w],
        [0, 0]
      ])
}

/**
 * One-hot of each window's input with the largest lower bound, the first on ties (exactly one per
 * window). Built from tf.step (gradient 0) rather than argMax/oneHot, whose integer outputs tfjs
 * cannot pass a gradient through when training differentiates the bounds.
 */
function firstLargest(stacked: tf.Tensor): tf.Tensor {
  const top = tf.max(stacked, 4, true)
  const isTop = tf.unstack(tf.sub(1, tf.step(tf.sub(top, stacked))), 4)
  let none: tf.Tensor = tf.onesLike(isTop[0])
  const picks = isTop.map((t) => {
    const pick = tf.mul(t, none)
    none = tf.mul(none, tf.sub(1, t))
    return pick
  })
  return tf.stack(picks, 4)
}

function backThroughMaxPool(
  op: Extract<Op, { kind: 'maxpool' }>,
  lambda: tf.Tensor,
  constant: tf.Tensor,
  sumRows: (t: tf.Tensor) => tf.Tensor
): [tf.Tensor, tf.Tensor] {
  const [b, s] = lambda.shape
  const [, hh, ww] = op.lower.shape
  const lows = windows(op.lower)
  const highs = windows(op.upper)
  const chosen = firstLargest(lows) // [B, h, w, C, 4]
  const chosenLower = tf.sum(tf.mul(chosen, lows), 4)
  const othersUpper = tf.max(tf.sub(highs, tf.mul(chosen, 1e30)), 4)
  // Masks by tf.step, whose gradient is 0: training differentiates through the bounds, not the choices.
  const dominates = tf.expandDims(tf.step(tf.sub(chosenLower, othersUpper)), 1)
  const maxUpper = tf.expandDims(tf.maxPool(op.upper, 2, 2, 'valid'), 1)
  const positive = tf.relu(lambda)
  const negative = tf.minimum(lambda, 0)
  const coefficient = tf.add(positive, tf.mul(negative, dominates)) // [B, S, h, w, C]
  const next = tf.add(constant, sumRows(tf.mul(tf.mul(negative, tf.sub(1, dominates)), maxUpper)))
  const spread = tf.mul(tf.expandDims(coefficient, 5), tf.expandDims(chosen, 1)) // [B, S, h, w, C, 4]
  const full = unwindow(tf.reshape(spread, [b * s, ...spread.shape.slice(2)]), hh, ww)
  return [tf.reshape(full, [b, s, ...full.shape.slice(1)]), next]
}

/** Intervals through an affine op: centre through the map, radius through its absolute value. */
function intervalAffine(op: Op, lower: tf.Tensor, upper: tf.Tensor): [tf.Tensor, tf.Tensor] {
  let mid = tf.div(tf.add(lower, upper), 2)
  let rad = tf.div(tf.sub(upper, lower), 2)
  if (op.kind === 'normalise') {
    mid = tf.add(tf.mul(mid, op.scale), op.shift)
    rad = tf.mul(rad, op.scale.map(Math.abs))
  } else if (op.kind === 'conv') {
    mid = tf.add(tf.conv2d(mid as tf.Tensor4D, op.filter, 1, 'same'), op.bias)
    rad = tf.conv2d(rad as tf.Tensor4D, tf.abs(op.filter), 1, 'same')
  } else if (op.kind === 'linear') {
    mid = tf.add(tf.matMul(mid as tf.Tensor2D, op.weight), op.bias)
    rad = tf.matMul(rad as tf.Tensor2D, tf.abs(op.weight))
  }
  return [tf.sub(mid, rad), tf.add(mid, rad)]
}
