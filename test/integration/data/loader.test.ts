/** loadDataset: what the engine gets — float32 [0, 1] NHWC, int32 labels, subsets, validation. */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { LabService } from '../../../src-main/lab/service'
import { createHash } from 'node:crypto'
import { loadDataset, loadDatasetRecord } from '../../../src-main/lab/data/loader'
import { getDatasetRecord } from '../../../src-main/lab/store/datasets'
import {
  labelOf,
  pixelValue,
  removeTempDirs,
  tempDir,
  writeCifar10Bin,
  writeCifar10Py,
  writeIdxDataset,
  writeImage
} from '../../unit/data/fixtures'

const services: LabService[] = []
afterEach(() => {
  for (const s of services.splice(0)) s.close()
})
afterAll(removeTempDirs)

async function labWith(dir: string, name: string) {
  const lab = new LabService({ dataDir: tempDir('advlab-lab-') })
  services.push(lab)
  const response = await lab.handle('datasets.register', { path: dir, name })
  if (!response.ok) throw new Error(response.error.message)
  return lab
}

/** Every value of image k is pixelValue(source index, row, col, channel) / 255, in HWC order. */
function expectImages(images: Float32Array, sourceIndices: ArrayLike<number>, h: number, w: number, c: number, firstImage = 0) {
  let mismatches = 0
  for (let k = 0; k < sourceIndices.length; k++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const got = images[((k * h + y) * w + x) * c + ch]
          if (got !== Math.fround(pixelValue(firstImage + sourceIndices[k], y, x, ch) / 255)) mismatches++
        }
  expect(mismatches).toBe(0)
}

describe('loadDataset', () => {
  it('gives CIFAR-10 binary as float32 NHWC in [0, 1], planes interleaved, labels as int32', async () => {
    const lab = await labWith(writeCifar10Bin(tempDir(), [7, 5], 3), 'c10')
    const train = await loadDataset(lab.ctx, 'c10')
    expect(train).toMatchObject({ n: 12, height: 32, width: 32, channels: 3, split: 'train' })
    expect(train.images).toBeInstanceOf(Float32Array)
    expect(train.images.length).toBe(12 * 32 * 32 * 3)
    expect(train.labels).toEqual(Int32Array.from({ length: 12 }, (_, i) => labelOf(i, 10)))
    expectImages(
      train.images,
      Array.from({ length: 12 }, (_, i) => i),
      32,
      32,
      3
    )
    const test = await loadDataset(lab.ctx.db, 'c10', { split: 'test' })
    expectImages(test.images, [0, 1, 2], 32, 32, 3, 1000)
  })

  it('gives the same arrays from CIFAR-10 pickles as from the binary files', async () => {
    const lab = await labWith(writeCifar10Py(tempDir(), [5, 4], 3), 'c10py')
    const train = await loadDataset(lab.ctx, 'c10py')
    expectImages(
      train.images,
      Array.from({ length: 9 }, (_, i) => i),
      32,
      32,
      3
    )
  })

  it('gives grayscale ImageFolder images as one channel, rows before columns', async () => {
    const root = tempDir()
    for (let i = 0; i < 6; i++) await writeImage(path.join(root, i % 2 ? 'odd' : 'even', `${i}.png`), i, 5, 7, 1, 'png')
    const lab = await labWith(root, 'folder')
    const train = await loadDataset(lab.ctx, 'folder')
    expect(train).toMatchObject({ n: 6, height: 5, width: 7, channels: 1, classes: ['even', 'odd'] })
    expectImages(train.images, [0, 2, 4, 1, 3, 5], 5, 7, 1)
    expect(Array.from(train.labels)).toEqual([0, 0, 0, 1, 1, 1])
  })

  it('keeps a decoded copy of an ImageFolder dataset and loads from it, identical to decoding the images', async () => {
    const root = tempDir()
    for (let i = 0; i < 6; i++) await writeImage(path.join(root, i % 3 ? 'b' : 'a', `${i}.png`), i, 4, 6, 3, 'png')
    const lab = await labWith(root, 'folder')
    const record = getDatasetRecord(lab.ctx.db, 'folder')
    const artifacts = lab.ctx.db
      .prepare("SELECT path, sha256, bytes FROM artifacts WHERE dataset_id = ? AND kind = 'decoded' ORDER BY path")
      .all(record.id) as Array<{ path: string; sha256: string; bytes: number }>
    expect(artifacts.map((a) => [path.basename(a.path), a.bytes])).toEqual([
      ['train.images.u8', 6 * 4 * 6 * 3],
      ['train.labels.i32', 6 * 4]
    ])
    for (const a of artifacts)
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(lab.ctx.dataDir, a.path)))
          .digest('hex')
      ).toBe(a.sha256)
    const decoded = await loadDatasetRecord(record, { subset: 4, seed: 2 }) // no data directory: decodes the images
    const cached = await loadDataset(lab.ctx, 'folder', { subset: 4, seed: 2 })
    expect(cached.images).toEqual(decoded.images)
    expect(cached.labels).toEqual(decoded.labels)
    // The copy is the registered content: it loads even when the image files are gone.
    fs.rmSync(root, { recursive: true })
    expectImages((await loadDataset(lab.ctx, 'folder')).images, [0, 3, 1, 2, 4, 5], 4, 6, 3)
    fs.truncateSync(path.join(lab.ctx.dataDir, artifacts[0].path), 10)
    await expect(loadDataset(lab.ctx, 'folder')).rejects.toMatchObject({
      code: 'unavailable',
      message: `The decoded copy of dataset "folder" is damaged (${path.join(lab.ctx.dataDir, artifacts[0].path)} does not hold 6 images). Remove the dataset and register it again.`
    })
  })

  it('takes a seeded stratified subset: same seed, same images; each class keeps its share', async () => {
    const lab = await labWith(writeIdxDataset(tempDir(), { train: 400, test: 10 }).dir, 'idx')
    const a = await loadDataset(lab.ctx, 'idx', { subset: 40, seed: 3 })
    const b = await loadDataset(lab.ctx, 'idx', { subset: 40, seed: 3 })
    const c = await loadDataset(lab.ctx, 'idx', { subset: 40, seed: 4 })
    expect(a.n).toBe(40)
    expect(a.indices).toEqual(b.indices)
    expect(a.indices).not.toEqual(c.indices)
    expect(Array.from({ length: 10 }, (_, k) => a.labels.filter((l) => l === k).length)).toEqual(new Array(10).fill(4))
    expectImages(a.images, a.indices, 4, 5, 1)
    expect(a.labels).toEqual(Int32Array.from(a.indices, (i) => labelOf(i, 10)))
  })

  it('holds out a stratified validation part of train that never overlaps the train part', async () => {
    const lab = await labWith(writeIdxDataset(tempDir(), { train: 400, test: 10 }).dir, 'idx')
    const train = await loadDataset(lab.ctx, 'idx', { split: 'train', validation: 0.25, seed: 9 })
    const validation = await loadDataset(lab.ctx, 'idx', { split: 'validation', validation: 0.25, seed: 9 })
    expect([train.n, validation.n]).toEqual([300, 100])
    const all = new Set([...train.indices, ...validation.indices])
    expect(all.size).toBe(400)
    expectImages(validation.images, validation.indices, 4, 5, 1)
    // A subset of the train part stays inside the train part.
    const small = await loadDataset(lab.ctx, 'idx', { split: 'train', validation: 0.25, seed: 9, subset: 30 })
    expect(small.indices.every((i) => train.indices.includes(i))).toBe(true)
  })

  it('refuses to load when the registered files changed since registration', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    const lab = await labWith(dir, 'idx')
    fs.appendFileSync(train.labels, Buffer.from([1]))
    await expect(loadDataset(lab.ctx, 'idx')).rejects.toMatchObject({
      code: 'bad_input',
      message: `The files of dataset "idx" changed since it was registered (${train.labels} was modified). Remove it and register ${dir} again, so results stay reproducible.`
    })
  })

  it('accepts files that only got a new modification time (a reinstall) after checking their content', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    const lab = await labWith(dir, 'idx')
    const later = new Date(Date.now() + 60_000)
    fs.utimesSync(train.images, later, later)
    expect((await loadDataset(lab.ctx, 'idx')).n).toBe(12)
    // The new time is remembered, so the next load skips the content check.
    const stored = getDatasetRecord(lab.ctx.db, 'idx').info.files.find((f) => f.path === train.images)!
    expect(stored.mtimeMs).toBe(fs.statSync(train.images).mtimeMs)
  })

  it('refuses a file with the same size but other content', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    const lab = await labWith(dir, 'idx')
    const bytes = fs.readFileSync(train.images)
    bytes[100] ^= 0xff
    fs.writeFileSync(train.images, bytes)
    await expect(loadDataset(lab.ctx, 'idx')).rejects.toMatchObject({
      code: 'bad_input',
      message: `The files of dataset "idx" changed since it was registered (${train.images} was modified). Remove it and register ${dir} again, so results stay reproducible.`
    })
  })

  it('explains what to do when there is no test split or no validation option', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'a', '0.png'), 0, 3, 3, 3, 'png')
    await writeImage(path.join(root, 'b', '1.png'), 1, 3, 3, 3, 'png')
    const lab = await labWith(root, 'two')
    await expect(loadDataset(lab.ctx, 'two', { split: 'test' })).rejects.toMatchObject({
      message: 'Dataset "two" has no test split. Hold out part of the train split instead (option validation, e.g. 0.1).'
    })
    await expect(loadDataset(lab.ctx, 'two', { split: 'validation' })).rejects.toMatchObject({
      message: 'Loading the validation split of "two" needs the validation option (a count, or a fraction of the train split).'
    })
  })
})
