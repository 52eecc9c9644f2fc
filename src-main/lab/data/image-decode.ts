/**
 * Decoding one image file into 8-bit HWC pixels of a given shape, with sharp (libvips) for
 * PNG/JPEG/WebP and bmp-ts for BMP, which libvips does not read. Alpha is dropped (as PIL's
 * convert('RGB') does); grayscale and colour are converted to the dataset's channel count.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Sharp } from 'sharp'
import type { ImageShape } from './source'
import { badFile, fileSystemError } from './errors'

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.webp']
const TODO = 'Replace or delete the file, then register the folder again.'
/**
 * The most pixels one image may have (50 megapixels, more than a camera photo). A header is
 * untrusted: a 1 kB PNG or BMP can claim 60000×60000, and decoding it would take gigabytes.
 * Checked from the header, before decoding (sharp's limitInputPixels; our own check for BMP).
 */
export const MAX_IMAGE_PIXELS = 50_000_000
const TOO_BIG = /exceeds pixel limit|more pixels than/i

export interface ImageProbe {
  width: number
  height: number
  colour: boolean
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.promises.readFile(file)
  } catch (error) {
    throw fileSystemError(error, file)
  }
}

const isBmp = (file: string) => path.extname(file).toLowerCase() === '.bmp'

// Loaded on first use: libvips costs ~30 MB of memory that IDX and CIFAR loading never need.
let loaded: Promise<{ sharp: typeof import('sharp').default; decodeBmp: typeof import('bmp-ts').decode }> | undefined
const libraries = () =>
  (loaded ??= (async () => {
    const sharp = (await import('sharp')).default
    // Dataset images are small and many: one thread per image and no cache keep all cores busy
    // on different images and memory flat.
    sharp.concurrency(1)
    sharp.cache(false)
    return { sharp, decodeBmp: (await import('bmp-ts')).decode }
  })())

/** A sharp pipeline on the file's pixels; BMP is decoded first and handed over as raw RGB. */
async function openImage(file: string): Promise<{ image: Sharp; probe: ImageProbe }> {
  const bytes = await readBytes(file)
  const { sharp, decodeBmp } = await libraries()
  try {
    if (isBmp(file)) {
      if (bytes.length < 2 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw new Error('not a BMP (bad signature)')
      // BITMAPINFOHEADER: width and height (negative = top-down) at bytes 18 and 22.
      if (bytes.length >= 26 && Math.abs(bytes.readInt32LE(18)) * Math.abs(bytes.readInt32LE(22)) > MAX_IMAGE_PIXELS)
        throw new Error(`more pixels than allowed (${Math.abs(bytes.readInt32LE(18))}×${Math.abs(bytes.readInt32LE(22))})`)
      const bmp = decodeBmp(bytes, { toRGBA: true })
      const { width, height } = bmp
      if (!(width > 0 && height > 0)) throw new Error(`image size ${width}×${height}`)
      // bmp-ts reports 24-bit images with alpha 0: keep RGB only.
      const rgb = Buffer.allocUnsafe(width * height * 3)
      let colour = false
      for (let p = 0; p < width * height; p++) {
        const r = bmp.data[4 * p],
          g = bmp.data[4 * p + 1],
          b = bmp.data[4 * p + 2]
        rgb[3 * p] = r
        rgb[3 * p + 1] = g
        rgb[3 * p + 2] = b
        if (r !== g || g !== b) colour = true
      }
      return { image: sharp(rgb, { raw: { width, height, channels: 3 } }), probe: { width, height, colour } }
    }
    const image = sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS })
    const meta = await image.metadata()
    if (!meta.width || !meta.height) throw new Error('no image size in the header')
    let colour = (meta.channels ?? 3) >= 3 && meta.space !== 'b-w'
    // WebP has no grayscale mode and a palette PNG says RGB: look at the pixels themselves.
    if (colour && (meta.format === 'webp' || meta.isPalette)) colour = await hasColour(image)
    return { image, probe: { width: meta.width, height: meta.height, colour } }
  } catch (error) {
    throw undecodable(file, error)
  }
}

async function hasColour(image: Sharp): Promise<boolean> {
  const { data, info } = await image.clone().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
  for (let i = 0; i < data.length; i += info.channels) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) return true
  return false
}

/**
 * libvips words the same damage differently from run to run (a warning or an error may come
 * first), so the message says what the user needs: not an image at all, or a damaged one.
 */
function undecodable(file: string, error: unknown): Error {
  const raw = (error as Error)?.message ?? String(error)
  if (TOO_BIG.test(raw))
    return badFile(
      file,
      `cannot be decoded as an image: it has more than ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels, the most AdvLab decodes from one image`,
      'Resize it (or the whole folder) to the size you train at, then register the folder again.'
    )
  const problem = /unsupported image format|not a bmp|bad signature/i.test(raw)
    ? 'its contents are not a PNG, JPEG, BMP or WebP image'
    : 'its image data is damaged or truncated'
  return badFile(file, `cannot be decoded as an image: ${problem}`, TODO)
}

export async function probeImage(file: string): Promise<ImageProbe> {
  return (await openImage(file)).probe
}

/** Pixels of `file` as height×width×channels bytes; other sizes are centre-cropped and resized. */
export async function decodeImage(file: string, shape: ImageShape): Promise<Uint8Array> {
  let image: Sharp
  if (isBmp(file)) image = (await openImage(file)).image
  else {
    // No header probe here: it would cost a second parse per image; resize is a no-op at the same size.
    const { sharp } = await libraries()
    image = sharp(await readBytes(file), { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS })
  }
  try {
    const { data, info } = await image
      .removeAlpha()
      .resize(shape.width, shape.height, { fit: 'cover' })
      .toColourspace(shape.channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== shape.channels || info.width !== shape.width || info.height !== shape.height)
      throw new Error(`decoded to ${info.height}×${info.width}×${info.channels}, expected ${shape.height}×${shape.width}×${shape.channels}`)
    return data
  } catch (error) {
    throw undecodable(file, error)
  }
}
