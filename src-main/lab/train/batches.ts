/**
 * Mini-batches on the CPU side: a seeded permutation per epoch and, per batch, gathering images
 * and applying augmentation. Every random choice derives from (seed, epoch, batch), so a run
 * resumed mid-epoch sees exactly the batches it would have seen.
 */
import { deriveSeed, seededRandom } from '../data/subsets'

export interface ImageSet {
  images: Float32Array // NHWC, [0, 1]
  labels: Int32Array
  n: number
  height: number
  width: number
  channels: number
}

export function epochPermutation(n: number, seed: number, epoch: number): Int32Array {
  const random = seededRandom(deriveSeed(seed, `shuffle/${epoch}`))
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  return order
}

export interface Augmentation {
  cropPadding: number
  horizontalFlip: boolean
}

/**
 * Copies the images at `indices` into one batch buffer, with a random crop of the zero-padded
 * image and a random horizontal flip when asked (the standard CIFAR recipe).
 */
export function gatherBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  augmentation: Augmentation | null,
  randomSeed: number
): { images: Float32Array; labels: Int32Array } {
  const { height: h, width: w, channels: c } = set
  const size = h * w * c
  const images = new Float32Array(indices.length * size)
  const labels = new Int32Array(indices.length)
  const augment = augmentation && (augmentation.cropPadding > 0 || augmentation.horizontalFlip)
  const random = seededRandom(randomSeed)
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * size
    labels[b] = set.labels[indices[b]]
    if (!augment) {
      images.set(set.images.subarray(src, src + size), b * size)
      continue
    }
    const pad = augmentation!.cropPadding
    const dy = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0
    const dx = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0
    const flip = augmentation!.horizontalFlip && random() < 0.5
    const dst = b * size
    for (let y = 0; y < h; y++) {
      const sy = y + dy
      for (let x = 0; x < w; x++) {
        const sxCropped = x + dx
        const sx = flip ? w - 1 - sxCropped : sxCropped
        const out = dst + (y * w + x) * c
        if (sy < 0 || sy >= h || sxCropped < 0 || sxCropped >= w) continue // zero padding
        const from = src + (sy * w + sx) * c
        for (let k = 0; k < c; k++) images[out + k] = set.images[from + k]
      }
    }
  }
  return { images, labels }
}
