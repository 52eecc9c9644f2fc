/**
 * The CIFAR binary layout shared by CIFAR-10 and CIFAR-100: fixed-size records of label byte(s)
 * followed by a 32×32 image stored as three planes (all red, then green, then blue — CHW).
 * The planes are interleaved into HWC here, once, as the records stream past.
 */
import path from 'node:path'
import type { ImageChunk, SplitName, SplitSource } from './source'
import { CHUNK_IMAGES } from './source'
import { withReader } from './byte-stream'
import { badFile, count } from './errors'
import { requireFile } from './files'

export const CIFAR_SIDE = 32
const PLANE = CIFAR_SIDE * CIFAR_SIDE
export const CIFAR_PIXEL_BYTES = 3 * PLANE

export interface RecordLayout {
  /** Label bytes before the pixels: 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine). */
  labelBytes: number
  /** Which of the label bytes is the class used for training. */
  classByte: number
  classCount: number
  /** For each label byte, its name and how many values it may take (for range checks). */
  labelRanges: Array<{ name: string; count: number }>
  classTodo: string
}

const recordBytes = (layout: RecordLayout) => layout.labelBytes + CIFAR_PIXEL_BYTES

/** Checks every file's size and returns a split reading them in order. */
export async function openRecordSplit(name: SplitName, files: string[], layout: RecordLayout): Promise<SplitSource> {
  const size = recordBytes(layout)
  const counts: number[] = []
  for (const file of files) {
    const stats = await requireFile(file)
    if (stats.size === 0) throw badFile(file, 'is empty', 'Copy or extract the file again.')
    if (stats.size % size !== 0)
      throw badFile(
        file,
        `has ${count(stats.size)} bytes, not a multiple of the ${count(size)}-byte record (${layout.labelBytes} label byte${layout.labelBytes > 1 ? 's' : ''} + 3×32×32 pixels); it is truncated or not a ${layout.labelBytes === 1 ? 'CIFAR-10' : 'CIFAR-100'} binary file`,
        'Copy or extract the file again, or check the dataset format.'
      )
    counts.push(stats.size / size)
  }
  const total = counts.reduce((a, b) => a + b, 0)

  async function stream(onChunk: (chunk: ImageChunk) => void, withPixels: boolean): Promise<void> {
    let start = 0
    for (let f = 0; f < files.length; f++) {
      const file = files[f]
      await withReader(file, async (reader) => {
        for (let first = 0; first < counts[f]; first += CHUNK_IMAGES) {
          const k = Math.min(CHUNK_IMAGES, counts[f] - first)
          const bytes = await reader.take(k * size, `record ${first + k - 1}`)
          const labels = new Int32Array(k)
          const pixels = withPixels ? new Uint8Array(k * CIFAR_PIXEL_BYTES) : new Uint8Array(0)
          for (let r = 0; r < k; r++) {
            const offset = r * size
            for (let b = 0; b < layout.labelBytes; b++) {
              const value = bytes[offset + b]
              const range = layout.labelRanges[b]
              if (value >= range.count)
                throw badFile(
                  file,
                  `record ${first + r} has ${range.name} ${value}, out of range 0–${range.count - 1} (${range.count} classes)`,
                  layout.classTodo
                )
            }
            labels[r] = bytes[offset + layout.classByte]
            if (withPixels) planesToHwc(bytes, offset + layout.labelBytes, pixels, r * CIFAR_PIXEL_BYTES)
          }
          onChunk({ start: start + first, count: k, pixels, labels })
        }
      })
      start += counts[f]
    }
  }

  return {
    name,
    count: total,
    files,
    async readLabels() {
      const labels = new Int32Array(total)
      await stream((chunk) => labels.set(chunk.labels, chunk.start), false)
      return labels
    },
    readImages: (onChunk) => stream(onChunk, true)
  }
}

/** One CIFAR image: CHW planes at `from` → HWC pixels at `to`. */
export function planesToHwc(source: Uint8Array, from: number, target: Uint8Array, to: number): void {
  for (let p = 0; p < PLANE; p++) {
    const o = to + 3 * p
    target[o] = source[from + p]
    target[o + 1] = source[from + PLANE + p]
    target[o + 2] = source[from + 2 * PLANE + p]
  }
}

/** data_batch_1 … data_batch_10 in numeric order, not text order. */
export function byBatchNumber(a: string, b: string): number {
  const n = (s: string) => Number(/(\d+)/.exec(path.basename(s))?.[1] ?? 0)
  return n(a) - n(b)
}
