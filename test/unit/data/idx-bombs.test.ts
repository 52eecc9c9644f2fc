/**
 * IDX headers are untrusted: a tiny gzip file may declare gigabytes of images. The reader must
 * refuse a header that declares more than its stated cap before inflating anything, and must never
 * buffer more than the header declares.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../src-main/lab/data/detect'
import { MAX_IDX_IMAGES, MAX_IDX_PIXEL_BYTES } from '../../../src-main/lab/data/idx'
import { LabError } from '../../../src-main/api/errors'
import { idxBytes, removeTempDirs, tempDir, writeIdxSplit } from './fixtures'

afterAll(removeTempDirs)

/**
 * A gzip file of `header` followed by `members` gzip members of 64 MiB of zeros each: gunzip reads
 * concatenated members as one stream, so ~6 MB on disk inflates to ~6 GB without us ever holding it.
 */
function gzipBomb(file: string, header: Buffer, members: number): void {
  const zeros = zlib.gzipSync(Buffer.alloc(64 << 20), { level: 9 })
  const parts = [zlib.gzipSync(header)]
  for (let i = 0; i < members; i++) parts.push(zeros)
  fs.writeFileSync(file, Buffer.concat(parts))
}

async function openAndReadAll(dir: string): Promise<void> {
  const source = await openDataset(dir)
  for (const split of source.splits) {
    await split.readLabels()
    await split.readImages(() => {})
  }
}

async function failure(work: Promise<unknown>): Promise<LabError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(LabError)
  return error as LabError
}

describe('IDX headers that declare more than AdvLab will read', () => {
  it('a 6 MB gzip IDX declaring 1024×4096×4096 images fails fast, naming the file, the declared size and the cap', async () => {
    const dir = tempDir()
    writeIdxSplit(dir, 'train', { n: 1024, classes: 10 })
    const images = path.join(dir, 'train-images-idx3-ubyte')
    fs.rmSync(images)
    const bomb = path.join(dir, 'train-images-idx3-ubyte.gz')
    gzipBomb(bomb, idxBytes(0x08, [1024, 4096, 4096], new Uint8Array(0)), 90)
    expect(fs.statSync(bomb).size).toBeGreaterThan(5_000_000)

    const rssBefore = process.memoryUsage().rss
    const started = Date.now()
    const error = await failure(openAndReadAll(dir))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 << 20)
    expect(error.code).toBe('bad_input')
    expect(error.message).toBe(
      `${bomb}: its header declares 1,024 images of 4096×4096×1, 17,179,869,184 bytes of pixels; AdvLab reads at most ` +
        `${MAX_IDX_PIXEL_BYTES.toLocaleString('en-US')} bytes (2 GiB) of pixels from one IDX file. ` +
        'The header is damaged or the file is not a dataset AdvLab can hold in memory; check the file, or split the data into smaller files.'
    )
  })

  it('a gzip labels file declaring four billion labels fails at its header, naming the cap on images', async () => {
    const dir = tempDir()
    const { labels } = writeIdxSplit(dir, 'train', { n: 12 })
    fs.rmSync(labels)
    const bomb = path.join(dir, 'train-labels-idx1-ubyte.gz')
    gzipBomb(bomb, idxBytes(0x08, [0xffff_ffff], new Uint8Array(0)), 20)
    const started = Date.now()
    const error = await failure(openAndReadAll(dir))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(error.message).toBe(
      `${bomb}: its header declares 4,294,967,295 labels; AdvLab reads at most ${MAX_IDX_IMAGES.toLocaleString('en-US')} images from one IDX file. ` +
        'The header is damaged or the file is not a dataset AdvLab can hold in memory; check the file, or split the data into smaller files.'
    )
  })

  it('a gzip IDX within the cap that inflates past its declared size is stopped right after the declared bytes', async () => {
    const dir = tempDir()
    writeIdxSplit(dir, 'train', { n: 4, height: 28, width: 28 })
    const images = path.join(dir, 'train-images-idx3-ubyte')
    fs.rmSync(images)
    const bomb = path.join(dir, 'train-images-idx3-ubyte.gz')
    gzipBomb(bomb, idxBytes(0x08, [4, 28, 28], new Uint8Array(4 * 28 * 28)), 40)
    const rssBefore = process.memoryUsage().rss
    const error = await failure(openAndReadAll(dir))
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 << 20)
    expect(error.message).toBe(`${bomb}: is longer than the 4 images its header promises. Copy or download the file again.`)
  })

  it('big images are read in chunks of bounded size, not 1,024 images at a time', async () => {
    const dir = tempDir()
    // 20 images of 2048×2048×1 (4 MiB each): 1,024 of them would be a 4 GiB chunk.
    writeIdxSplit(dir, 'train', { n: 20, height: 2048, width: 2048 })
    const source = await openDataset(dir)
    const sizes: number[] = []
    await source.splits[0].readImages((chunk) => sizes.push(chunk.pixels.byteLength))
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20 * 2048 * 2048)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 << 20)
  })
})
