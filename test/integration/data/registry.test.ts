/** The datasets requests through a real LabService on a temporary data directory. */
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { LabService } from '../../../src-main/lab/service'
import type { Dataset, DatasetPreview } from '../../../src-main/api/datasets'
import { hwcImage, labelOf, removeTempDirs, tempDir, writeCifar10Bin, writeIdxDataset, writeImage } from '../../unit/data/fixtures'

const services: LabService[] = []
afterEach(() => {
  for (const s of services.splice(0)) s.close()
})
afterAll(removeTempDirs)

function startLab(dataDir = tempDir('advlab-lab-')) {
  const lab = new LabService({ dataDir })
  services.push(lab)
  const events: Array<{ name: string; data: unknown }> = []
  lab.subscribe((name, data) => events.push({ name, data }))
  return { lab, dataDir, events }
}

async function ok<T>(lab: LabService, method: string, params: unknown): Promise<T> {
  const response = await lab.handle(method, params)
  if (!response.ok) throw new Error(`${method} failed: ${response.error.code}: ${response.error.message}`)
  return response.result as T
}

const rowCount = (lab: LabService, table: string) => (lab.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const filesUnder = (dir: string) => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [])

describe('datasets.register', () => {
  it('records format, splits, shape, classes, per-class counts and exact mean/std of the train split', async () => {
    const { lab, events } = startLab()
    const dir = writeIdxDataset(tempDir(), { train: 30, test: 6 }).dir
    const { dataset, created } = await ok<{ dataset: Dataset; created: boolean }>(lab, 'datasets.register', {
      path: dir,
      name: 'tiny digits'
    })
    expect(created).toBe(true)
    expect(dataset).toMatchObject({
      name: 'tiny digits',
      format: 'idx',
      sourcePath: dir,
      splits: { train: 30, test: 6 },
      shape: { height: 4, width: 5, channels: 1 },
      builtin: null,
      hasPreview: true
    })
    const counts = new Array(10).fill(0)
    let sum = 0
    let squares = 0
    for (let i = 0; i < 30; i++) {
      counts[labelOf(i, 10)]++
      for (const v of hwcImage(i, 4, 5, 1)) {
        sum += v / 255
        squares += (v / 255) ** 2
      }
    }
    expect(dataset.classCounts.train).toEqual(counts)
    const mean = sum / (30 * 20)
    expect(dataset.mean[0]).toBeCloseTo(mean, 12)
    expect(dataset.std[0]).toBeCloseTo(Math.sqrt(squares / (30 * 20) - mean * mean), 12)
    expect(events.filter((e) => e.name === 'datasets.changed')).toEqual([
      { name: 'datasets.changed', data: { id: dataset.id, change: 'registered' } }
    ])
    expect(events.filter((e) => e.name === 'datasets.progress').at(-1)).toEqual({
      name: 'datasets.progress',
      data: { path: dir, phase: 'reading', step: 36, total: 36 }
    })
  })

  it('recognises the same content registered again — even gzip-compressed elsewhere — by its hash', async () => {
    const { lab, events } = startLab()
    const plain = writeIdxDataset(tempDir()).dir
    const gzipped = writeIdxDataset(tempDir(), { gzip: true, spelling: 'dot' }).dir
    const first = await ok<{ dataset: Dataset; created: boolean }>(lab, 'datasets.register', { path: plain })
    const again = await ok<{ dataset: Dataset; created: boolean }>(lab, 'datasets.register', { path: gzipped, name: 'other name' })
    expect(again.created).toBe(false)
    expect(again.dataset.id).toBe(first.dataset.id)
    expect(again.dataset.contentHash).toBe(first.dataset.contentHash)
    expect(rowCount(lab, 'datasets')).toBe(1)
    expect(events.filter((e) => e.name === 'datasets.changed')).toHaveLength(1)
  })

  it('refuses a taken name for different content, and numbers a suggested name that is taken', async () => {
    const { lab } = startLab()
    await ok(lab, 'datasets.register', { path: writeCifar10Bin(tempDir(), [3], 2) })
    const response = await lab.handle('datasets.register', { path: writeIdxDataset(tempDir()).dir, name: 'cifar-10' })
    expect(response).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A dataset named "cifar-10" already exists; choose another name.', field: 'name' }
    })
    const second = await ok<{ dataset: Dataset }>(lab, 'datasets.register', { path: writeCifar10Bin(tempDir(), [4], 2) })
    expect(second.dataset.name).toBe('CIFAR-10 (2)')
  })

  it('answers a broken dataset with bad_input, leaves no row and no file, and keeps serving', async () => {
    const { lab, dataDir, events } = startLab()
    const { dir, train } = writeIdxDataset(tempDir(), { gzip: true, train: 3000 })
    const bytes = fs.readFileSync(train.images)
    fs.writeFileSync(train.images, bytes.subarray(0, bytes.length - 500))
    const response = await lab.handle('datasets.register', { path: dir })
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'bad_input',
        message: `${train.images}: the gzip data is damaged (unexpected end of file). Copy or download the file again.`
      }
    })
    expect(rowCount(lab, 'datasets')).toBe(0)
    expect(rowCount(lab, 'artifacts')).toBe(0)
    expect(filesUnder(path.join(dataDir, 'datasets'))).toEqual([])
    expect(events.filter((e) => e.name === 'datasets.changed')).toEqual([])
    const good = await ok<{ created: boolean }>(lab, 'datasets.register', { path: writeIdxDataset(tempDir()).dir })
    expect(good.created).toBe(true)
  })

  it('leaves no partial decoded copy behind when an image in the middle of a folder is broken', async () => {
    const { lab, dataDir } = startLab()
    const root = tempDir()
    // A cut-off PNG after the first chunk: its header reads fine (so the size survey passes), its
    // pixels do not, so part of the decoded copy has been written when it fails.
    const broken = path.join(root, 'b', '350.png')
    await writeImage(broken, 350, 16, 16, 3, 'png')
    fs.truncateSync(broken, fs.statSync(broken).size - 30)
    for (let i = 0; i < 400; i++)
      if (i !== 350) await writeImage(path.join(root, i < 150 ? 'a' : 'b', `${String(i).padStart(3, '0')}.png`), i, 16, 16, 3, 'png')
    const response = await lab.handle('datasets.register', { path: root })
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'bad_input',
        message: `${broken}: cannot be decoded as an image: its image data is damaged or truncated. Replace or delete the file, then register the folder again.`
      }
    })
    expect(filesUnder(path.join(dataDir, 'datasets'))).toEqual([])
    expect(rowCount(lab, 'datasets') + rowCount(lab, 'artifacts')).toBe(0)
  })

  it('clears staging left by a registration whose process was killed', async () => {
    const { lab, dataDir } = startLab()
    // A pid that cannot be running: above the kernel's maximum.
    const abandoned = path.join(dataDir, 'datasets', '.incoming-99999999-abcdef')
    fs.mkdirSync(abandoned, { recursive: true })
    fs.writeFileSync(path.join(abandoned, 'train.images.u8'), 'partial')
    await ok(lab, 'datasets.register', { path: writeIdxDataset(tempDir()).dir })
    expect(fs.existsSync(abandoned)).toBe(false)
  })

  it('rolls back the rows when the preview cannot be put in place (no half-registered dataset)', async () => {
    const dir = writeIdxDataset(tempDir()).dir
    const probe = startLab()
    const hash = (await ok<{ dataset: Dataset }>(probe.lab, 'datasets.register', { path: dir })).dataset.contentHash
    const { lab, dataDir } = startLab()
    // A non-empty folder where the preview file must go makes the rename inside the transaction fail.
    const blocker = path.join(dataDir, 'datasets', hash.slice(0, 16), 'preview.png')
    fs.mkdirSync(blocker, { recursive: true })
    fs.writeFileSync(path.join(blocker, 'keep'), '')
    const response = await lab.handle('datasets.register', { path: dir })
    expect(response.ok).toBe(false)
    expect(rowCount(lab, 'datasets')).toBe(0)
    expect(rowCount(lab, 'artifacts')).toBe(0)
    expect(filesUnder(path.join(dataDir, 'datasets'))).toEqual([
      hash.slice(0, 16),
      path.join(hash.slice(0, 16), 'preview.png'),
      path.join(hash.slice(0, 16), 'preview.png', 'keep')
    ])
  })
})

describe('datasets.preview', () => {
  it('serves a PNG whose row r, column c is the c-th train image of class r, checked against its sha256', async () => {
    const { lab, dataDir } = startLab()
    const dir = writeCifar10Bin(tempDir(), [25], 2)
    const { dataset } = await ok<{ dataset: Dataset }>(lab, 'datasets.register', { path: dir })
    const preview = await ok<DatasetPreview>(lab, 'datasets.preview', { dataset: dataset.name })
    expect(preview.dataUrl.startsWith('data:image/png;base64,')).toBe(true)
    const png = Buffer.from(preview.dataUrl.slice('data:image/png;base64,'.length), 'base64')
    expect(createHash('sha256').update(png).digest('hex')).toBe(preview.sha256)
    const artifact = lab.ctx.db.prepare('SELECT path, sha256, bytes, kind FROM artifacts WHERE dataset_id = ?').get(dataset.id) as {
      path: string
      sha256: string
      bytes: number
      kind: string
    }
    expect(artifact).toMatchObject({ kind: 'preview', sha256: preview.sha256, bytes: png.length })
    expect(fs.readFileSync(path.join(dataDir, artifact.path))).toEqual(png)
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([preview.width, preview.height])
    expect(preview.rows).toEqual(dataset.classes)
    // class 3's images, in order, among images 0..24
    const ofClass3 = Array.from({ length: 25 }, (_, i) => i).filter((i) => labelOf(i, 10) === 3)
    for (let c = 0; c < Math.min(ofClass3.length, preview.samplesPerClass); c++) {
      const x0 = preview.gap + c * (preview.cellWidth + preview.gap)
      const y0 = preview.gap + 3 * (preview.cellHeight + preview.gap)
      const expected = hwcImage(ofClass3[c], 32, 32, 3)
      for (const [y, x, ch] of [
        [0, 0, 0],
        [5, 17, 1],
        [31, 30, 2]
      ])
        expect(data[((y0 + y) * info.width + x0 + x) * info.channels + ch]).toBe(expected[(y * 32 + x) * 3 + ch])
    }
  })
})

describe('datasets.remove', () => {
  it('deletes the row, its artifacts and the preview file, and says so in an event', async () => {
    const { lab, dataDir, events } = startLab()
    const { dataset } = await ok<{ dataset: Dataset }>(lab, 'datasets.register', {
      path: writeIdxDataset(tempDir()).dir,
      name: 'gone soon'
    })
    expect(await ok(lab, 'datasets.remove', { dataset: 'GONE SOON' })).toEqual({ id: dataset.id, name: 'gone soon' })
    expect(rowCount(lab, 'datasets')).toBe(0)
    expect(rowCount(lab, 'artifacts')).toBe(0)
    expect(filesUnder(path.join(dataDir, 'datasets'))).toEqual([])
    expect(events.at(-1)).toEqual({ name: 'datasets.changed', data: { id: dataset.id, change: 'removed' } })
    const response = await lab.handle('datasets.get', { dataset: dataset.id })
    expect(response).toEqual({
      ok: false,
      error: { code: 'not_found', message: `There is no dataset with id ${dataset.id}. No dataset is registered yet.`, field: 'dataset' }
    })
  })
})

describe('datasets.remove of an ImageFolder dataset', () => {
  it('deletes its decoded copy too', async () => {
    const { lab, dataDir } = startLab()
    const root = tempDir()
    await writeImage(path.join(root, 'a', '0.png'), 0, 4, 4, 3, 'png')
    await writeImage(path.join(root, 'b', '1.png'), 1, 4, 4, 3, 'png')
    await ok(lab, 'datasets.register', { path: root, name: 'folder' })
    expect(filesUnder(path.join(dataDir, 'datasets')).filter((f) => f.endsWith('.u8') || f.endsWith('.i32'))).toHaveLength(2)
    await ok(lab, 'datasets.remove', { dataset: 'folder' })
    expect(filesUnder(path.join(dataDir, 'datasets'))).toEqual([])
  })
})

describe('datasets.detect', () => {
  it('says which format a folder holds', async () => {
    const { lab } = startLab()
    const dir = writeCifar10Bin(tempDir(), [3, 2], 2)
    const found = await ok<{ format: string; description: string }>(lab, 'datasets.detect', { path: dir })
    expect(found.format).toBe('cifar10-bin')
    expect(found.description).toBe(`CIFAR-10 binary in ${dir}: train 5 and test 2 images of 32×32×3, 10 classes.`)
  })
})
