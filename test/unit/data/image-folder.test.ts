import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../src-main/lab/data/detect'
import { hwcImage, removeTempDirs, tempDir, writeImage, type ImageKind } from './fixtures'
import { expectedPixels, firstDifference, readSplit } from './read-helpers'

afterAll(removeTempDirs)

const H = 6
const W = 9

describe('ImageFolder reader', () => {
  it('takes classes from sorted folder names, walks subfolders, ignores hidden ones and other files', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'zebra', 'a.png'), 0, H, W, 3, 'png')
    await writeImage(path.join(root, 'ant', 'deep', 'er', 'b.png'), 1, H, W, 3, 'png')
    await writeImage(path.join(root, 'ant', 'c.webp'), 2, H, W, 3, 'webp')
    await writeImage(path.join(root, 'Moose', 'd.bmp'), 3, H, W, 3, 'bmp')
    await writeImage(path.join(root, '.thumbnails', 'x.png'), 9, H, W, 3, 'png')
    await writeImage(path.join(root, 'ant', '.hidden.png'), 9, H, W, 3, 'png')
    fs.writeFileSync(path.join(root, 'ant', 'notes.txt'), 'not an image')
    const source = await openDataset(root)
    expect(source.format).toBe('imagefolder')
    // Code-point order, as Python's sorted(): capitals first.
    expect(source.classes).toEqual(['Moose', 'ant', 'zebra'])
    expect(source.shape).toEqual({ height: H, width: W, channels: 3 })
    const split = source.splits[0]
    expect(split.files.map((f) => path.relative(root, f))).toEqual(['Moose/d.bmp', 'ant/c.webp', 'ant/deep/er/b.png', 'zebra/a.png'])
    const read = await readSplit(split, H * W * 3)
    expect(Array.from(read.labels)).toEqual([0, 1, 1, 2])
    const expected = new Uint8Array(4 * H * W * 3)
    ;[3, 2, 1, 0].forEach((image, i) => expected.set(hwcImage(image, H, W, 3), i * H * W * 3))
    expect(firstDifference(read.pixels, expected)).toBe(-1)
  })

  for (const kind of ['png', 'bmp', 'webp'] as ImageKind[]) {
    it(`keeps an all-grayscale ${kind} folder at one channel, pixel for pixel`, async () => {
      const root = tempDir()
      await writeImage(path.join(root, 'a', '0.' + kind), 0, H, W, 1, kind)
      await writeImage(path.join(root, 'b', '1.' + kind), 1, H, W, 1, kind)
      const source = await openDataset(root)
      expect(source.shape.channels).toBe(1)
      const read = await readSplit(source.splits[0], H * W)
      expect(firstDifference(read.pixels, expectedPixels(0, 2, H, W, 1))).toBe(-1)
    })
  }

  it('converts grayscale images to RGB when other images are in colour, and says so', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'a', 'gray.png'), 0, H, W, 1, 'png')
    await writeImage(path.join(root, 'b', 'rgb.png'), 1, H, W, 3, 'png')
    const source = await openDataset(root)
    expect(source.shape.channels).toBe(3)
    expect(source.notes).toContain('Grayscale images are converted to RGB, because the others are in colour.')
    const read = await readSplit(source.splits[0], H * W * 3)
    const gray = hwcImage(0, H, W, 1)
    for (let p = 0; p < H * W; p++)
      expect([read.pixels[3 * p], read.pixels[3 * p + 1], read.pixels[3 * p + 2]]).toEqual([gray[p], gray[p], gray[p]])
  })

  it('decodes JPEG (lossy) close to the smooth original', async () => {
    const root = tempDir()
    const gradient = Buffer.alloc(16 * 16 * 3)
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) gradient.set([x * 12, y * 12, 100], (y * 16 + x) * 3)
    for (const [cls, name] of [
      ['a', 'x.jpg'],
      ['b', 'y.JPEG']
    ]) {
      fs.mkdirSync(path.join(root, cls))
      fs.writeFileSync(
        path.join(root, cls, name),
        await sharp(gradient, { raw: { width: 16, height: 16, channels: 3 } })
          .jpeg({ quality: 100 })
          .toBuffer()
      )
    }
    const source = await openDataset(root)
    const read = await readSplit(source.splits[0], 16 * 16 * 3)
    let worst = 0
    let total = 0
    for (let i = 0; i < read.pixels.length; i++) {
      const error = Math.abs(gradient[i % gradient.length] - read.pixels[i])
      worst = Math.max(worst, error)
      total += error
    }
    expect(read.pixels.length).toBe(2 * 16 * 16 * 3)
    // Chroma subsampling costs a few levels; a channel or axis mix-up would cost ~100.
    expect(total / read.pixels.length).toBeLessThan(3)
    expect(worst).toBeLessThan(16)
  })

  it('resizes images of a minority size to the most common size, and says so', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'a', '0.png'), 0, H, W, 3, 'png')
    await writeImage(path.join(root, 'a', '1.png'), 1, H, W, 3, 'png')
    await writeImage(path.join(root, 'b', '2.png'), 2, 12, 18, 3, 'png')
    const source = await openDataset(root)
    expect(source.shape).toEqual({ height: H, width: W, channels: 3 })
    expect(source.notes).toContain(`Warning: 1 of 3 images are not ${H}×${W}; they are centre-cropped and resized to it.`)
    const read = await readSplit(source.splits[0], H * W * 3)
    expect(read.pixels.length).toBe(3 * H * W * 3)
  })

  it('reads root/train and root/test (or val) as two splits with the train class list', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'train', 'cat', '0.png'), 0, H, W, 3, 'png')
    await writeImage(path.join(root, 'train', 'dog', '1.png'), 1, H, W, 3, 'png')
    await writeImage(path.join(root, 'val', 'dog', '2.png'), 2, H, W, 3, 'png')
    const source = await openDataset(root)
    expect(source.classes).toEqual(['cat', 'dog'])
    expect(source.splits.map((s) => [s.name, s.count])).toEqual([
      ['train', 2],
      ['test', 1]
    ])
    expect(await source.splits[1].readLabels()).toEqual(Int32Array.from([1]))
    expect(source.notes).toContain('The val/ folder is used as the test split.')
  })

  it('decodes only the images asked for when given a wanted mask', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'a', '0.png'), 0, H, W, 3, 'png')
    fs.writeFileSync(path.join(root, 'a', '1.png'), 'broken, but never decoded')
    const source = await openDataset(root, 'imagefolder', { shape: { height: H, width: W, channels: 3 } })
    const seen: number[] = []
    await source.splits[0].readImages((chunk) => seen.push(chunk.pixels[0]), Uint8Array.from([1, 0]))
    expect(seen).toEqual([hwcImage(0, H, W, 3)[0]])
  })
})
