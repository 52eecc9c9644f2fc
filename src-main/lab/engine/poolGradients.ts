/**
 * MaxPoolGrad for the wasm backend. The backend's own kernel (and its MaxPoolWithArgmax) drop
 * the gradient of windows whose maximum is negative — measured against the cpu backend — and it
 * is a slow scalar loop besides. This one routes each output's gradient to the first maximum of
 * its window (row-major, as TensorFlow's kernels do), visiting channels innermost so that every
 * read is contiguous in NHWC memory.
 */
import * as tf from '@tensorflow/tfjs-core'

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>

/** Writes dx into `dx`, which must hold zeros. */
export function maxPoolGradientValues(x: Float32Array, dy: Float32Array, info: PoolInfo, dx: Float32Array): void {
  if (isTiled2x2(info)) return tiled2x2(x, dy, info, dx)
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: c,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    filterHeight,
    filterWidth,
    dilationHeight,
    dilationWidth
  } = info
  const top = info.padInfo.top
  const left = info.padInfo.left
  const best = new Float32Array(c)
  const at = new Int32Array(c)
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * c
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        let seen = false
        for (let r = 0; r < filterHeight; r++) {
          const h = oh * strideHeight - top + r * dilationHeight
          if (h < 0 || h >= inHeight) continue
          for (let s = 0; s < filterWidth; s++) {
            const w = ow * strideWidth - left + s * dilationWidth
            if (w < 0 || w >= inWidth) continue
            const base = xBatch + (h * inWidth + w) * c
            if (!seen) {
              // The window's first position starts every channel's running maximum.
              for (let k = 0; k < c; k++) {
                best[k] = x[base + k]
                at[k] = base + k
              }
              seen = true
              continue
            }
            for (let k = 0; k < c; k++) {
              const v = x[base + k]
              if (v > best[k]) {
                best[k] = v
                at[k] = base + k
              }
            }
          }
        }
        if (!seen) continue
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * c
        for (let k = 0; k < c; k++) dx[at[k]] += dy[dyBase + k]
      }
    }
  }
}

/** 2×2 windows at stride 2 without padding — every max-pool of the built-in models. */
function isTiled2x2(info: PoolInfo): boolean {
  return (
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight * 2 <= info.inHeight &&
    info.outWidth * 2 <= info.inWidth
  )
}

/** The same rule unrolled over the four positions of each window, which never overlap. */
function tiled2x2(x: Float32Array, dy: Float32Array, info: PoolInfo, dx: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info
  const row = inWidth * c
  let g = 0
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const p0 = b * inHeight * row + 2 * oh * row + 2 * ow * c
        const p1 = p0 + c
        const p2 = p0 + row
        const p3 = p2 + c
        for (let k = 0; k < c; k++, g++) {
          let best = x[p0 + k]
          let at = p0 + k
          if (x[p1 + k] > best) {
            best = x[p1 + k]
            at = p1 + k
          }
          if (x[p2 + k] > best) {
            best = x[p2 + k]
            at = p2 + k
          }
          if (x[p3 + k] > best) at = p3 + k
          dx[at] = dy[g]
        }
      }
    }
  }
}
