/**
 * dL/dfilter of a conv2d as im2col and one matMul per slice of the batch:
 * P [KH·KW·CI, N·OH·OW] · dy [N·OH·OW, CO]. P is written by a plain loop straight into the
 * backend's memory (on wasm, its heap), from the input transposed to [CI, N, H, W] so that every
 * row of P copies runs of one input row. XNNPACK multiplies in this layout at full speed
 * (transposed operands are ~10× slower). Measured on resnet18 and cnn-small layers, batch 16–32:
 * 5–8× faster than the conv form for a first layer, 10–45% faster for the rest.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { ConvGeometry } from './convGeometry'
import { readable, writable } from './heap'

/** Largest P built at once, in floats (64 MB): larger batches are done in slices. */
const PATCH_BLOCK = 16 * 1024 * 1024

export function filterGradientByIm2col(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const { batch, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = g
  const K = g.filterHeight * g.filterWidth * CI
  const slice = Math.max(1, Math.min(batch, Math.floor(PATCH_BLOCK / (K * OH * OW))))
  const xt = tf.transpose(x, [3, 0, 1, 2]) // [CI, N, H, W]
  let sum: tf.Tensor | null = null
  for (let n0 = 0; n0 < batch; n0 += slice) {
    const n = Math.min(slice, batch - n0)
    const m = n * OH * OW
    const p = writable([K, m])
    // The view of xt is taken after P's allocation, which may have moved the heap.
    fillPatches(p.values, readable(xt), g, n0, n)
    const patches = p.finish()
    const part = tf.matMul(
      patches as tf.Tensor2D,
      tf.reshape(n === batch ? dy : tf.slice(dy, [n0, 0, 0, 0], [n, -1, -1, -1]), [m, CO]) as tf.Tensor2D
    )
    sum = sum ? tf.add(sum, part) : part
  }
  return tf.reshape(sum!, [g.filterHeight, g.filterWidth, CI, CO])
}

/**
 * dL/dx of a strided conv as col2im: C = dy [N·OH·OW, CO] · Wᵀ [CO, KH·KW·CI] by one untransposed
 * matMul per slice of the batch, then every row of C added back at the input pixels its output
 * pixel read. The multiplications are exactly the forward conv's; the sub-pixel form
 * (convGradients.ts) does 16/9 of them for 3×3 at stride 2 and was 1.5–2.4× slower here.
 */
export function inputGradientByCol2im(dy: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const { batch, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = g
  const K = g.filterHeight * g.filterWidth * CI
  const wt = writable([CO, K])
  transposeInto(wt.values, readable(filter), K, CO)
  const weightsT = wt.finish()
  const slice = Math.max(1, Math.min(batch, Math.floor(PATCH_BLOCK / (K * OH * OW))))
  const parts: tf.Tensor[] = []
  for (let n0 = 0; n0 < batch; n0 += slice) {
    const n = Math.min(slice, batch - n0)
    const rows = tf.reshape(n === batch ? dy : tf.slice(dy, [n0, 0, 0, 0], [n, -1, -1, -1]), [n * OH * OW, CO]) as tf.Tensor2D
    const cols = tf.matMul(rows, weightsT as tf.Tensor2D)
    const dx = writable([n, H, W, CI])
    // Views after the allocation, which may have moved the heap.
    addColumns(dx.values, readable(cols), g, n)
    parts.push(dx.finish())
  }
  return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor4D
}

/** out[c, k] = w[k, c] for a [K, C] matrix. */
function transposeInto(out: Float32Array, w: Float32Array, K: number, C: number): void {
  for (let k = 0; k < K; k++) {
    const row = k * C
    for (let c = 0; c < C; c++) out[c * K + k] = w[row + c]
  }
}

/** dx[n, oh·s − padTop + kh, ow·s − padLeft + kw, :] += C[(n, oh, ow), (kh, kw, :)], dx zeroed first. */
function addColumns(dx: Float32Array, cols: Float32Array, g: ConvGeometry, count: number): void {
  const {
    inHeight: H,
    inWidth: W,
    inChannels: CI,
    outHeight: OH,
    outWidth: OW,
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: sh,
    strideWidth: sw,
    padTop,
    padLeft
  } = g
  dx.fill(0)
  const K = KH * KW * CI
  let m = 0
  for (let n = 0; n < count; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, m++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - padTop + kh
          if (ih < 0 || ih >= H) continue
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - padLeft + kw
            if (iw < 0 || iw >= W) continue
            const src = m * K + (kh * KW + kw) * CI
            const dst = ((n * H + ih) * W + iw) * CI
            for (let ci = 0; ci < CI; ci++) dx[dst + ci] += cols[src + ci]
          }
        }
      }
    }
  }
}

/** P[(kh, kw, ci), (n, oh, ow)] = x[n0 + n, oh·s − padTop + kh, ow·s − padLeft + kw, ci], 0 outside. */
function fillPatches(P: Float32Array, xt: Float32Array, g: ConvGeometry, n0: number, count: number): void {
  const {
    batch,
    inHeight: H,
    inWidth: W,
    inChannels: CI,
    outHeight: OH,
    outWidth: OW,
    strideHeight: sh,
    strideWidth: sw,
    padTop,
    padLeft
  } = g
  let o = 0
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      // Output columns whose input column is inside the image: [owFrom, owTo).
      const owFrom = Math.min(OW, Math.max(0, Math.ceil((padLeft - kw) / sw)))
      const owTo = Math.max(owFrom, Math.min(OW, Math.floor((W - 1 + padLeft - kw) / sw) + 1))
      for (let ci = 0; ci < CI; ci++) {
        for (let n = n0; n < n0 + count; n++) {
          const plane = (ci * batch + n) * H * W
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh - padTop + kh
            if (ih < 0 || ih >= H) {
              P.fill(0, o, o + OW)
              o += OW
              continue
            }
            const row = plane + ih * W - padLeft + kw
            if (owFrom > 0) P.fill(0, o, o + owFrom)
            for (let ow = owFrom; ow < owTo; ow++) P[o + ow] = xt[row + ow * sw]
            if (owTo < OW) P.fill(0, o + owTo, o + OW)
            o += OW
          }
        }
      }
    }
  }
}
