/**
 * The preview grid is a glance, not a copy: big images are shown as thumbnails of at most 64 pixels
 * a side and only the first 256 classes get a row, so registering large images or thousands of
 * classes costs neither gigabytes of memory nor minutes of PNG encoding.
 */
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { removeTempDirs, tempDir, writeIdxDataset } from '../../unit/data/fixtures'
import { testLab } from '../../support/lab'

const labs: Array<ReturnType<typeof testLab>> = []
afterEach(async () => {
  for (const l of labs.splice(0)) await l.close()
})
afterAll(removeTempDirs)

describe('the preview grid of a dataset', () => {
  it('shows 4096×4096 images as 64×64 thumbnails, and registering four of them takes seconds and little memory', async () => {
    const root = tempDir()
    for (const cls of ['a', 'b'])
      for (let i = 0; i < 2; i++) {
        fs.mkdirSync(path.join(root, cls), { recursive: true })
        const image = sharp({
          create: { width: 4096, height: 4096, channels: 3, background: { r: 40 + 100 * i, g: cls === 'a' ? 10 : 200, b: 30 } }
        })
        fs.writeFileSync(path.join(root, cls, `${i}.png`), await image.png().toBuffer())
      }
    const l = testLab('preview-big')
    labs.push(l)
    const rss = process.memoryUsage().rss
    const started = Date.now()
    const { dataset } = await l.api.request('datasets.register', { path: root, name: 'big' })
    expect(Date.now() - started).toBeLessThan(8_000)
    expect(process.memoryUsage().rss - rss).toBeLessThan(400 << 20)
    expect(dataset.shape).toEqual({ height: 4096, width: 4096, channels: 3 })
    const preview = await l.api.request('datasets.preview', { dataset: 'big' })
    expect([preview.cellHeight, preview.cellWidth]).toEqual([64, 64])
    expect(preview.rows).toEqual(['a', 'b'])
    // The thumbnail keeps the colour of its image: class b's first cell is green-dominant.
    const png = Buffer.from(preview.dataUrl.slice('data:image/png;base64,'.length), 'base64')
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    const at = ((preview.gap + 1 * (preview.cellHeight + preview.gap) + 10) * info.width + preview.gap + 10) * info.channels
    expect(Array.from(data.subarray(at, at + 3))).toEqual([40, 200, 30])
  })

  it('has a row for each of the first 256 classes of a dataset with 2,000 class names', async () => {
    const dir = writeIdxDataset(tempDir(), { train: 40, test: 10 }).dir
    fs.writeFileSync(path.join(dir, 'classes.txt'), Array.from({ length: 2000 }, (_, i) => `class ${i}`).join('\n'))
    const l = testLab('preview-rows')
    labs.push(l)
    const { dataset } = await l.api.request('datasets.register', { path: dir, name: 'many classes' })
    expect(dataset.classes.length).toBe(2000)
    const preview = await l.api.request('datasets.preview', { dataset: 'many classes' })
    expect(preview.rows).toEqual(dataset.classes.slice(0, 256))
    expect(preview.height).toBe(256 * (preview.cellHeight + preview.gap) + preview.gap)
  })
})
