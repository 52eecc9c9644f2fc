/**
 * The preview grid shown on the Datasets screen: one row per class, the first few train images of
 * that class side by side, on a light background with a small gap. Written as PNG.
 */
import sharp from 'sharp'
import type { ImageShape } from './source'

export const PREVIEW_GAP = 2
const BACKGROUND = 240

export interface PreviewLayout {
  width: number
  height: number
  cellWidth: number
  cellHeight: number
  gap: number
  samplesPerClass: number
}

export async function renderPreviewGrid(
  samples: Uint8Array[][],
  shape: ImageShape,
  samplesPerClass: number
): Promise<{ png: Buffer; layout: PreviewLayout }> {
  const { height: h, width: w, channels } = shape
  const rows = Math.max(1, samples.length)
  const cols = Math.max(1, samplesPerClass)
  const width = cols * w + (cols + 1) * PREVIEW_GAP
  const height = rows * h + (rows + 1) * PREVIEW_GAP
  const canvas = Buffer.alloc(width * height * channels, BACKGROUND)
  samples.forEach((row, r) => {
    row.forEach((image, c) => {
      const x0 = PREVIEW_GAP + c * (w + PREVIEW_GAP)
      const y0 = PREVIEW_GAP + r * (h + PREVIEW_GAP)
      for (let y = 0; y < h; y++) {
        const from = y * w * channels
        canvas.set(image.subarray(from, from + w * channels), ((y0 + y) * width + x0) * channels)
      }
    })
  })
  let image = sharp(canvas, { raw: { width, height, channels: channels as 1 | 3 } })
  if (channels === 1) image = image.toColourspace('b-w')
  const png = await image.png({ compressionLevel: 9 }).toBuffer()
  return { png, layout: { width, height, cellWidth: w, cellHeight: h, gap: PREVIEW_GAP, samplesPerClass: cols } }
}
