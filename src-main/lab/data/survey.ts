/**
 * The one full pass over a dataset at registration: it proves every file reads to the end, and
 * computes what the registry keeps — the content hash, per-channel mean/std of the train split,
 * images per class, and the first few images of each class for the preview grid.
 */
import { createHash } from 'node:crypto'
import type { DatasetSource, ImageChunk, ImageShape, SplitName } from './source'

export const PREVIEW_SAMPLES_PER_CLASS = 8
/** Preview cells are at most this many pixels a side: a 4096×4096 image is shown as a 64×64 thumbnail. */
export const PREVIEW_CELL_MAX = 64
/**
 * Only the first classes get a preview row: 256 rows of 8 cells is already a tall picture, and a
 * classes.txt of thousands of names must not become a PNG too large to encode.
 */
export const PREVIEW_MAX_CLASSES = 256

export interface DatasetSurvey {
  contentHash: string
  splits: Record<string, number>
  classCounts: Record<string, number[]>
  mean: number[]
  std: number[]
  /**
   * For each of the first PREVIEW_MAX_CLASSES classes, up to PREVIEW_SAMPLES_PER_CLASS train
   * images as thumbnails of `previewShape` (HWC bytes; the images themselves when they are small).
   */
  previewSamples: Uint8Array[][]
  previewShape: ImageShape
}

/** The thumbnail size of images of `shape`: the same when no side exceeds PREVIEW_CELL_MAX. */
export function previewShapeOf(shape: ImageShape): ImageShape {
  const scale = Math.min(1, PREVIEW_CELL_MAX / Math.max(shape.height, shape.width))
  return {
    height: Math.max(1, Math.round(shape.height * scale)),
    width: Math.max(1, Math.round(shape.width * scale)),
    channels: shape.channels
  }
}

/** Nearest-neighbour thumbnail of the image at `offset` in `pixels` (a glance, so no filtering). */
function thumbnail(pixels: Uint8Array, offset: number, from: ImageShape, to: ImageShape): Uint8Array {
  if (from.height === to.height && from.width === to.width) return pixels.slice(offset, offset + from.height * from.width * from.channels)
  const c = from.channels
  const out = new Uint8Array(to.height * to.width * c)
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(from.height - 1, Math.floor(((y + 0.5) * from.height) / to.height))
    for (let x = 0; x < to.width; x++) {
      const sx = Math.min(from.width - 1, Math.floor(((x + 0.5) * from.width) / to.width))
      const src = offset + (sy * from.width + sx) * c
      for (let k = 0; k < c; k++) out[(y * to.width + x) * c + k] = pixels[src + k]
    }
  }
  return out
}

/**
 * The hash covers what a model would see — shape, class names, and every split's labels and
 * HWC pixels — so the same data read from IDX or gzip, or from CIFAR binary or pickles, hashes
 * the same, and any changed pixel or label does not.
 */
export async function surveyDataset(
  source: DatasetSource,
  onProgress?: (done: number, total: number) => void,
  /** Sees every chunk as it passes (the decoded cache is written this way). */
  observe?: (split: SplitName, chunk: ImageChunk) => void
): Promise<DatasetSurvey> {
  const { height, width, channels } = source.shape
  const imageBytes = height * width * channels
  const hash = createHash('sha256')
  hash.update(
    JSON.stringify({ v: 1, shape: [height, width, channels], classes: source.classes, splits: source.splits.map((s) => [s.name, s.count]) })
  )
  const sums = new Float64Array(channels)
  const squares = new Float64Array(channels)
  const previewShape = previewShapeOf(source.shape)
  const previewSamples: Uint8Array[][] = source.classes.slice(0, PREVIEW_MAX_CLASSES).map(() => [])
  const classCounts: Record<string, number[]> = {}
  const splits: Record<string, number> = {}
  const total = source.splits.reduce((sum, s) => sum + s.count, 0)
  let done = 0

  for (const split of source.splits) {
    const counts = new Array<number>(source.classes.length).fill(0)
    const isTrain = split.name === 'train'
    const labelHash = createHash('sha256')
    const pixelHash = createHash('sha256')
    await split.readImages((chunk) => {
      const labelBytes = new Uint8Array(chunk.labels.buffer, chunk.labels.byteOffset, chunk.labels.byteLength)
      labelHash.update(labelBytes)
      pixelHash.update(chunk.pixels)
      for (let i = 0; i < chunk.count; i++) {
        const label = chunk.labels[i]
        counts[label]++
        if (isTrain && label < PREVIEW_MAX_CLASSES && previewSamples[label].length < PREVIEW_SAMPLES_PER_CLASS)
          previewSamples[label].push(thumbnail(chunk.pixels, i * imageBytes, source.shape, previewShape))
      }
      if (isTrain) accumulateChannels(chunk.pixels, channels, sums, squares)
      observe?.(split.name, chunk)
      done += chunk.count
      onProgress?.(done, total)
    })
    hash.update(split.name).update(labelHash.digest()).update(pixelHash.digest())
    classCounts[split.name] = counts
    splits[split.name] = split.count
  }

  const pixelsPerChannel = (splits.train ?? 0) * height * width
  const mean = Array.from(sums, (s) => s / pixelsPerChannel / 255)
  const std = Array.from(squares, (q, c) => Math.sqrt(Math.max(0, q / pixelsPerChannel / (255 * 255) - mean[c] * mean[c])))
  return { contentHash: hash.digest('hex'), splits, classCounts, mean, std, previewSamples, previewShape }
}

/** Sums and sums of squares per channel, in exact integer arithmetic (fits a double up to 2^53). */
function accumulateChannels(pixels: Uint8Array, channels: number, sums: Float64Array, squares: Float64Array): void {
  if (channels === 1) {
    let s = 0
    let q = 0
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]
      s += v
      q += v * v
    }
    sums[0] += s
    squares[0] += q
    return
  }
  for (let c = 0; c < channels; c++) {
    let s = 0
    let q = 0
    for (let i = c; i < pixels.length; i += channels) {
      const v = pixels[i]
      s += v
      q += v * v
    }
    sums[c] += s
    squares[c] += q
  }
}
