/**
 * Convolution gradients written with fast forward kernels (XNNPACK convolutions, matMul, slices).
 *
 * The wasm backend of tfjs 4.22 has no `Conv2DBackpropFilter` and no depthwise backprop kernels,
 * and its `Conv2DBackpropInput` is a plain scalar loop. Both gradients of a convolution are
 * themselves convolutions, so they can run on the SIMD forward kernel:
 *  - input gradient: a stride-1 convolution of the upstream gradient (zero-dilated by the forward
 *    stride) with the spatially flipped filter whose in/out channels are swapped;
 *  - filter gradient: a convolution whose "batch" is the input channels and whose "filter" is the
 *    upstream gradient, with the forward stride turned into a dilation (the classic
 *    weight-gradient-as-correlation identity), or equivalently im2col followed by one matMul.
 * Shapes are NHWC, filters HWIO, like everywhere in tfjs.
 */
import * as tf from '@tensorflow/tfjs-core'
import { filterGradientByIm2col, inputGradientByCol2im } from './im2col'
import { convGeometry, type ConvGeometry, type Pad } from './convGeometry'

/**
 * Inserts stride−1 zeros between the rows and columns of dy (the transpose of a strided
 * subsampling) by padding a 6-D view and folding it back: no scatter kernel needed.
 * The result has (out−1)·s + s rows; the trailing s−1 zero rows are accounted for by the caller.
 */
function dilateRowsCols(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy
  const [n, h, w, c] = dy.shape
  const six = tf.reshape(dy, [n, h, 1, w, 1, c])
  const padded = tf.pad(six, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0]
  ])
  return tf.reshape(padded, [n, h * sh, w * sw, c])
}

/** Conv padding for a "full" correlation of the dilated dy that lands exactly on the input size. */
function inputGradPadding(g: ConvGeometry): {
  dyd: (dy: tf.Tensor4D) => tf.Tensor4D
  pads: [[number, number], [number, number], [number, number], [number, number]]
} {
  const top = g.filterHeight - 1 - g.padTop
  const left = g.filterWidth - 1 - g.padLeft
  // Rows of the dilated dy including the s−1 trailing zeros that dilateRowsCols appends.
  const dilatedH = g.outHeight * g.strideHeight
  const dilatedW = g.outWidth * g.strideWidth
  // Output rows = dilated + top + bottom − KH + 1 must equal the input height.
  let bottom = g.inHeight - dilatedH - top + g.filterHeight - 1
  let right = g.inWidth - dilatedW - left + g.filterWidth - 1
  let cropH = dilatedH
  let cropW = dilatedW
  if (bottom < 0) {
    cropH += bottom
    bottom = 0
  }
  if (right < 0) {
    cropW += right
    right = 0
  }
  const needsCrop = cropH !== dilatedH || cropW !== dilatedW
  return {
    dyd: (dy) => {
      const d = dilateRowsCols(dy, g.strideHeight, g.strideWidth)
      return needsCrop ? tf.slice(d, [0, 0, 0, 0], [-1, cropH, cropW, -1]) : d
    },
    pads: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0]
    ]
  }
}

/**
 * The filter that turns dy into dx in one stride-1 convolution (see conv2dInputGradient). It only
 * depends on the weights, so inference paths that differentiate w.r.t. the input many times
 * (attacks) compute it once per weight tensor and pass it in.
 */
export function inputGradientFilter(filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  // Built on the host: wasm's Reverse and Gather are scalar loops (~25 ns/element), while a
  // synchronous read, one JS pass and an upload cost a few ms even for 512×512×3×3.
  const [kh, kw, ci, co] = filter.shape
  const w = filter.dataSync() as Float32Array
  const th = Math.ceil(kh / stride)
  const tw = Math.ceil(kw / stride)
  const phases = stride * stride
  // out[t_h, t_w, o, (r_h·s + r_w)·ci + i] = w[(T_h−1−t_h)·s + r_h, (T_w−1−t_w)·s + r_w, i, o]
  const out = new Float32Array(th * tw * co * phases * ci)
  const outCh = phases * ci
  for (let a = 0; a < th; a++) {
    for (let rh = 0; rh < stride; rh++) {
      const y = (th - 1 - a) * stride + rh
      if (y >= kh) continue
      for (let b = 0; b < tw; b++) {
        for (let rw = 0; rw < stride; rw++) {
          const x = (tw - 1 - b) * stride + rw
          if (x >= kw) continue
          const src = (y * kw + x) * ci * co
          const dstBase = (a * tw + b) * co * outCh + (rh * stride + rw) * ci
          for (let i = 0; i < ci; i++) {
            const srcRow = src + i * co
            for (let o = 0; o < co; o++) out[dstBase + o * outCh + i] = w[srcRow + o]
          }
        }
      }
    }
  }
  return tf.tensor4d(out, [th, tw, co, outCh])
}

/** The stride inputGradientFilter must be built for, for a conv with this filter size and stride. */
export function inputGradientFilterStride(filterHeight: number, filterWidth: number, strides: number | [number, number]): number {
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides
  if ((filterHeight === 1 && filterWidth === 1) || sh !== sw) return 1
  return sh
}

/**
 * dL/dx of a conv2d. Stride 1: a "full" convolution of dy with the flipped, channel-swapped
 * filter. Square stride s > 1: the transposed conv is split into its s² output phases (sub-pixel
 * convolution), computed together as one stride-1 conv over dy whose channels hold the phases,
 * then interleaved by depthToSpace — no zero-dilated dy, no wasted multiplications.
 */
export function conv2dInputGradient(
  inShape: readonly number[],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  /** inputGradientFilter(filter, inputGradientFilterStride(...)), when the caller caches it. */
  preparedFilter?: tf.Tensor4D
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(inShape, filter.shape, strides, pad, dimRoundingMode)
    const s = g.strideHeight
    if (g.filterHeight === 1 && g.filterWidth === 1) {
      // 1×1 conv: a per-pixel matMul, then put each pixel back at o·s − pad by dilation and crop/pad.
      const d = dilateRowsCols(tf.conv2d(dy, preparedFilter ?? inputGradientFilter(filter, 1), 1, 'valid'), g.strideHeight, g.strideWidth)
      return placeAt(d, g.padTop, g.padLeft, g.inHeight, g.inWidth)
    }
    if (s === 1 && g.strideWidth === 1) {
      const { pads } = inputGradPadding(g)
      const top = pads[1][0]
      const left = pads[2][0]
      if (top >= 0 && left >= 0) return tf.conv2d(dy, preparedFilter ?? inputGradientFilter(filter, 1), 1, pads)
      // Padding wider than the filter: compute with none on that side, then drop the extra rows.
      const clipped = pads.map(([a, b]) => [Math.max(a, 0), Math.max(b, 0)]) as typeof pads
      const full = tf.conv2d(dy, preparedFilter ?? inputGradientFilter(filter, 1), 1, clipped)
      return placeAt(full, Math.max(-top, 0), Math.max(-left, 0), g.inHeight, g.inWidth)
    }
    // Without a cached sub-pixel filter (training), col2im does the forward's multiplications only.
    if (!preparedFilter) return inputGradientByCol2im(dy, filter, g)
    if (s === g.strideWidth) return subPixelInputGradient(g, dy, preparedFilter)
    const { dyd, pads } = inputGradPadding(g)
    return tf.conv2d(dyd(dy), inputGradientFilter(filter, 1), 1, pads)
  })
}

/** Rows/cols [top, top + h) × [left, left + w) of t, zero-filled where t ends early. */
function placeAt(t: tf.Tensor4D, top: number, left: number, h: number, w: number): tf.Tensor4D {
  const [, th, tw] = t.shape
  const availH = Math.min(th - top, h)
  const availW = Math.min(tw - left, w)
  let r = t
  if (top > 0 || left > 0 || availH < th || availW < tw) r = tf.slice(r, [0, top, left, 0], [-1, availH, availW, -1])
  if (availH < h || availW < w)
    r = tf.pad(r, [
      [0, 0],
      [0, h - availH],
      [0, w - availW],
      [0, 0]
    ])
  return r
}

function subPixelInputGradient(g: ConvGeometry, dy: tf.Tensor4D, phaseFilter: tf.Tensor4D): tf.Tensor4D {
  const s = g.strideHeight
  const [th, tw] = phaseFilter.shape
  // Phase row q covers dx rows q·s + r − padTop; rows needed: q < Q.
  const qh = Math.floor((g.inHeight - 1 + g.padTop) / s) + 1
  const qw = Math.floor((g.inWidth - 1 + g.padLeft) / s) + 1
  const phases = tf.conv2d(dy, phaseFilter, 1, [
    [0, 0],
    [th - 1, Math.max(0, qh - g.outHeight)],
    [tw - 1, Math.max(0, qw - g.outWidth)],
    [0, 0]
  ])
  // Interleave the phases (depthToSpace order) with one transpose: wasm's DepthToSpace kernel is
  // ten times slower than its Transpose.
  const [n, ph, pw] = phases.shape
  const ci = g.inChannels
  const split = tf.reshape(phases, [n * ph, pw, s, s * ci])
  const full = tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [n, ph * s, pw * s, ci]) as tf.Tensor4D
  if (g.padTop === 0 && g.padLeft === 0 && ph * s === g.inHeight && pw * s === g.inWidth) return full
  return tf.slice(full, [0, g.padTop, g.padLeft, 0], [-1, g.inHeight, g.inWidth, -1]) as tf.Tensor4D
}

/** dL/dfilter of a conv2d (see im2col.ts). */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode)
    return filterGradientByIm2col(x, dy, g)
  })
}

function paddedInput(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  // Rows beyond the last one the conv reads are never used; crop them so sizes line up.
  const usedH = (g.outHeight - 1) * g.strideHeight + g.filterHeight
  const usedW = (g.outWidth - 1) * g.strideWidth + g.filterWidth
  const bottom = usedH - g.inHeight - g.padTop
  const right = usedW - g.inWidth - g.padLeft
  let t = x
  if (g.padTop || g.padLeft || bottom > 0 || right > 0) {
    t = tf.pad(t, [
      [0, 0],
      [g.padTop, Math.max(bottom, 0)],
      [g.padLeft, Math.max(right, 0)],
      [0, 0]
    ])
  }
  if (bottom < 0 || right < 0) t = tf.slice(t, [0, 0, 0, 0], [-1, usedH, usedW, -1])
  return t
}

/** dL/dx of a depthwise conv (filter [KH, KW, C, M]): a depthwise conv of dy with the flipped filter. */
export function depthwiseInputGradient(
  inShape: readonly number[],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, c, mult] = filter.shape
    const g = convGeometry(inShape, [kh, kw, c, c * mult], strides, pad, dimRoundingMode)
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * mult, 1]) as tf.Tensor4D
    const { dyd, pads } = inputGradPadding(g)
    const perOut = tf.depthwiseConv2d(dyd(dy), flipped, 1, pads) // [N, H, W, C·M]
    if (mult === 1) return perOut
    const [n, h, w] = perOut.shape
    return tf.sum(tf.reshape(perOut, [n, h, w, c, mult]), 4) as tf.Tensor4D
  })
}

/** dL/dfilter of a depthwise conv: one multiply-and-reduce per filter tap. */
export function depthwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, c, mult] = filterShape
    const g = convGeometry(x.shape, [kh, kw, c, c * mult], strides, pad, dimRoundingMode)
    const xp = paddedInput(x, g)
    const m = g.batch * g.outHeight * g.outWidth
    const dyr = tf.reshape(dy, [m, c, mult])
    const taps: tf.Tensor[] = []
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const end = [g.batch, i + (g.outHeight - 1) * g.strideHeight + 1, j + (g.outWidth - 1) * g.strideWidth + 1, c]
        const xs = tf.stridedSlice(xp, [0, i, j, 0], end, [1, g.strideHeight, g.strideWidth, 1])
        taps.push(tf.sum(tf.mul(tf.reshape(xs, [m, c, 1]), dyr), 0))
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, c, mult]) as tf.Tensor4D
  })
}
