/**
 * JPEG compression (Hendrycks & Dietterich 2019; MNIST-C): a real encode at the given quality and
 * decode, through sharp (libvips with mozjpeg, already the lab's image library) — standard
 * quantisation tables and 4:2:0 chroma subsampling, as PIL writes them in the reference code.
 * Pixels are 8-bit on the way in, as in the reference images.
 */
import sharp from 'sharp'
import { level, type Corruption, type Levels } from './corruption'

const QUALITY: Levels<number> = { grey: [25, 18, 15, 10, 7], colour: [80, 65, 58, 50, 40] }

export const jpeg: Corruption = {
  id: 'jpeg',
  async apply(image, shape, severity) {
    const [h, w, channels] = shape
    const bytes = Buffer.from(Uint8Array.from(image, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)))
    const encoded = await sharp(bytes, { raw: { width: w, height: h, channels: channels as 1 | 3 } })
      .jpeg({ quality: level(QUALITY, severity, shape) })
      .toBuffer()
    let decoder = sharp(encoded)
    if (channels === 1) decoder = decoder.toColourspace('b-w')
    const { data, info } = await decoder.raw().toBuffer({ resolveWithObject: true })
    if (info.width !== w || info.height !== h || info.channels !== channels)
      throw new Error(`JPEG round trip returned ${info.width}×${info.height}×${info.channels} for a ${w}×${h}×${channels} image`)
    return Float32Array.from(data, (v) => v / 255)
  }
}
