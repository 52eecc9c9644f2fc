/**
 * Symbolic links in an ImageFolder: the walk never leaves the dataset root, never reads a real
 * folder or file twice, never lets one class's images in under another's label, and says which
 * links it skipped and why.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../src-main/lab/data/detect'
import { removeTempDirs, tempDir, writeImage } from './fixtures'

afterAll(removeTempDirs)

const H = 4
const W = 5

async function threeEach(root: string, classes: string[]): Promise<void> {
  let image = 0
  for (const name of classes)
    for (const file of ['a', 'b', 'c']) await writeImage(path.join(root, name, `${file}.png`), image++, H, W, 1, 'png')
}

const relFiles = (root: string, files: string[]) => files.map((f) => path.relative(root, f))
const warnings = (notes: string[]) => notes.filter((n) => n.startsWith('Warning:'))

describe('ImageFolder symbolic links', () => {
  it('a loop cat/loop -> .. registers the 6 real images with their own labels, and warns about the skipped link', async () => {
    const root = tempDir()
    await threeEach(root, ['cat', 'dog'])
    fs.symlinkSync('..', path.join(root, 'cat', 'loop'))
    const source = await openDataset(root)
    expect(source.classes).toEqual(['cat', 'dog'])
    const split = source.splits[0]
    expect(split.count).toBe(6)
    expect(relFiles(root, split.files)).toEqual(['cat/a.png', 'cat/b.png', 'cat/c.png', 'dog/a.png', 'dog/b.png', 'dog/c.png'])
    expect(Array.from(await split.readLabels())).toEqual([0, 0, 0, 1, 1, 1])
    expect(warnings(source.notes)).toEqual([
      'Warning: 1 symbolic link was skipped, so no image is read twice or from outside the dataset folder: cat/loop (leads back to a folder already read). Replace links with copies if those images belong here.'
    ])
  })

  it('a link into another class folder is skipped, so its images never get a second, wrong label', async () => {
    const root = tempDir()
    await threeEach(root, ['cat', 'dog'])
    fs.symlinkSync(path.join('..', 'dog'), path.join(root, 'cat', 'dogs'))
    fs.symlinkSync(path.join('..', 'dog', 'a.png'), path.join(root, 'cat', 'z.png'))
    const source = await openDataset(root)
    expect(source.splits[0].count).toBe(6)
    expect(warnings(source.notes)[0]).toContain('cat/dogs (points into the class folder dog)')
    expect(warnings(source.notes)[0]).toContain('cat/z.png (points into the class folder dog)')
  })

  it('a link leaving the dataset root is skipped with a warning naming it', async () => {
    const outside = tempDir()
    await writeImage(path.join(outside, 'x.png'), 50, H, W, 1, 'png')
    const root = tempDir()
    await threeEach(root, ['cat', 'dog'])
    fs.symlinkSync(outside, path.join(root, 'dog', 'elsewhere'))
    fs.symlinkSync(path.join(outside, 'x.png'), path.join(root, 'dog', 'x.png'))
    const source = await openDataset(root)
    expect(relFiles(root, source.splits[0].files)).toEqual(['cat/a.png', 'cat/b.png', 'cat/c.png', 'dog/a.png', 'dog/b.png', 'dog/c.png'])
    expect(warnings(source.notes)[0]).toContain('2 symbolic links were skipped')
    expect(warnings(source.notes)[0]).toContain(`dog/elsewhere (points outside the dataset folder, to ${fs.realpathSync(outside)})`)
  })

  it('a link to a folder inside the root that no class owns is followed, once', async () => {
    const root = tempDir()
    await threeEach(path.join(root, 'train'), ['cat', 'dog'])
    await threeEach(path.join(root, 'test'), ['cat', 'dog'])
    await writeImage(path.join(root, 'extras', 'more-cats', 'm.png'), 70, H, W, 1, 'png')
    fs.symlinkSync(path.join('..', '..', 'extras', 'more-cats'), path.join(root, 'train', 'cat', 'more'))
    fs.symlinkSync(path.join('..', '..', 'extras', 'more-cats'), path.join(root, 'train', 'cat', 'more-again'))
    const source = await openDataset(root)
    expect(relFiles(root, source.splits[0].files)).toEqual([
      'train/cat/a.png',
      'train/cat/b.png',
      'train/cat/c.png',
      'train/cat/more/m.png',
      'train/dog/a.png',
      'train/dog/b.png',
      'train/dog/c.png'
    ])
    expect(warnings(source.notes)[0]).toContain('train/cat/more-again (leads back to a folder already read)')
  })

  it('a test image linked into a train class is skipped: test images never leak into training', async () => {
    const root = tempDir()
    await threeEach(path.join(root, 'train'), ['cat', 'dog'])
    await threeEach(path.join(root, 'test'), ['cat', 'dog'])
    fs.symlinkSync(path.join('..', '..', 'test', 'cat', 'a.png'), path.join(root, 'train', 'cat', 'leak.png'))
    const source = await openDataset(root)
    expect(source.splits[0].count).toBe(6)
    expect(warnings(source.notes)[0]).toContain('train/cat/leak.png (points into the class folder test/cat)')
  })
})
