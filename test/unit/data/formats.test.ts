import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset, describeSource } from '../../../src-main/lab/data/detect'
import {
  CIFAR_NAMES_10,
  coarseOf,
  fineOf,
  labelOf,
  removeTempDirs,
  tempDir,
  writeCifar100Bin,
  writeCifar100Py,
  writeCifar10Bin,
  writeCifar10Py,
  writeIdxDataset
} from './fixtures'
import { expectedPixels, firstDifference, readSplit } from './read-helpers'

afterAll(removeTempDirs)

const labelsOf = (first: number, n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(first + i))

describe('IDX reader', () => {
  for (const variant of [
    { gzip: false, spelling: 'dash' as const },
    { gzip: true, spelling: 'dash' as const },
    { gzip: false, spelling: 'dot' as const },
    { gzip: true, spelling: 'dot' as const }
  ]) {
    it(`reads ${variant.gzip ? 'gzip' : 'plain'} files spelled ${variant.spelling === 'dash' ? '-idx3-ubyte' : '.idx3-ubyte'} pixel for pixel, rows before columns`, async () => {
      const dir = tempDir()
      writeIdxDataset(dir, { ...variant, train: 1100, test: 7, height: 4, width: 5 })
      const source = await openDataset(dir)
      expect(source.format).toBe('idx')
      expect(source.shape).toEqual({ height: 4, width: 5, channels: 1 })
      expect(source.splits.map((s) => [s.name, s.count])).toEqual([
        ['train', 1100],
        ['test', 7]
      ])
      const train = await readSplit(source.splits[0], 20)
      expect(firstDifference(train.pixels, expectedPixels(0, 1100, 4, 5, 1))).toBe(-1)
      expect(train.labels).toEqual(labelsOf(0, 1100, (i) => labelOf(i, 10)))
      const test = await readSplit(source.splits[1], 20)
      expect(firstDifference(test.pixels, expectedPixels(1000, 7, 4, 5, 1))).toBe(-1)
    })
  }

  it('tells gzip from plain by the magic bytes, not the file name', async () => {
    const dir = tempDir()
    const { train } = writeIdxDataset(dir, { gzip: true })
    // A gzip file without .gz in its name is still read as gzip.
    fs.renameSync(train.images, train.images.replace(/\.gz$/, ''))
    const source = await openDataset(dir)
    const split = await readSplit(source.splits[0], 20)
    expect(firstDifference(split.pixels, expectedPixels(0, 12, 4, 5, 1))).toBe(-1)
  })

  it('uses Fashion-MNIST class names when the folder says fashion, digits otherwise, classes.txt when present', async () => {
    const fashion = path.join(tempDir(), 'fashion-mnist')
    fs.mkdirSync(fashion)
    writeIdxDataset(fashion)
    expect((await openDataset(fashion)).classes[9]).toBe('Ankle boot')
    const digits = tempDir()
    writeIdxDataset(digits)
    expect((await openDataset(digits)).classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    const letters = tempDir()
    writeIdxDataset(letters, { classes: 12 })
    fs.writeFileSync(path.join(letters, 'classes.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n')
    expect((await openDataset(letters)).classes).toHaveLength(12)
  })

  it('ignores hidden look-alikes such as macOS ._train-images-idx3-ubyte', async () => {
    const dir = tempDir()
    writeIdxDataset(dir)
    fs.writeFileSync(path.join(dir, '._train-images-idx3-ubyte'), 'Mac OS X resource fork')
    expect((await openDataset(dir)).splits[0].count).toBe(12)
  })

  it('finds the files one folder down (torchvision keeps them in MNIST/raw/)', async () => {
    const root = tempDir()
    fs.mkdirSync(path.join(root, 'raw'))
    writeIdxDataset(path.join(root, 'raw'))
    const source = await openDataset(root)
    expect(source.root).toBe(path.join(root, 'raw'))
    expect(describeSource(source)).toBe(`IDX (MNIST-style) in ${path.join(root, 'raw')}: train 12 and test 5 images of 4×5×1, 10 classes.`)
  })
})

describe('CIFAR-10 binary reader', () => {
  it('turns each record (label, then CHW planes) into an HWC image, batches in numeric order', async () => {
    const dir = writeCifar10Bin(tempDir(), [1100, 3], 4)
    const source = await openDataset(dir)
    expect(source.format).toBe('cifar10-bin')
    expect(source.classes).toEqual(CIFAR_NAMES_10)
    expect(source.shape).toEqual({ height: 32, width: 32, channels: 3 })
    const train = await readSplit(source.splits[0], 3072)
    expect(train.pixels.length).toBe(1103 * 3072)
    expect(firstDifference(train.pixels, expectedPixels(0, 1103, 32, 32, 3))).toBe(-1)
    expect(train.labels).toEqual(labelsOf(0, 1103, (i) => labelOf(i, 10)))
    expect(await source.splits[0].readLabels()).toEqual(train.labels)
    const test = await readSplit(source.splits[1], 3072)
    expect(firstDifference(test.pixels, expectedPixels(1000, 4, 32, 32, 3))).toBe(-1)
  })

  it('orders data_batch_10 after data_batch_2', async () => {
    const dir = tempDir()
    writeCifar10Bin(dir, [2, 2], 1)
    // rename batch 2 to 10 and add a new batch 2 holding images 500..501
    fs.renameSync(path.join(dir, 'data_batch_2.bin'), path.join(dir, 'data_batch_10.bin'))
    const { cifarRecords } = await import('./fixtures')
    fs.writeFileSync(
      path.join(dir, 'data_batch_2.bin'),
      cifarRecords(500, 2, (i) => [labelOf(i, 10)])
    )
    const train = await readSplit((await openDataset(dir)).splits[0], 3072)
    const expected = new Uint8Array(6 * 3072)
    expected.set(expectedPixels(0, 2, 32, 32, 3), 0)
    expected.set(expectedPixels(500, 2, 32, 32, 3), 2 * 3072)
    expected.set(expectedPixels(2, 2, 32, 32, 3), 4 * 3072)
    expect(firstDifference(train.pixels, expected)).toBe(-1)
  })
})

describe('CIFAR-100 binary reader', () => {
  it('reads 3,074-byte records: the fine label is the class, the coarse one is range-checked', async () => {
    const dir = writeCifar100Bin(tempDir(), 9, 3)
    const source = await openDataset(dir)
    expect(source.format).toBe('cifar100-bin')
    expect(source.classes).toHaveLength(100)
    expect(source.coarseClasses).toHaveLength(20)
    const train = await readSplit(source.splits[0], 3072)
    expect(firstDifference(train.pixels, expectedPixels(0, 9, 32, 32, 3))).toBe(-1)
    expect(train.labels).toEqual(labelsOf(0, 9, fineOf))
    expect(labelsOf(0, 9, coarseOf)).not.toEqual(train.labels)
  })
})

describe('CIFAR python (pickle) readers', () => {
  it('reads CIFAR-10 pickles written by Python 2 (byte-string keys, numpy uint8 data) without Python', async () => {
    const dir = writeCifar10Py(tempDir(), [5, 4], 3)
    const source = await openDataset(dir)
    expect(source.format).toBe('cifar10-py')
    expect(source.classes).toEqual(CIFAR_NAMES_10)
    const train = await readSplit(source.splits[0], 3072)
    expect(firstDifference(train.pixels, expectedPixels(0, 9, 32, 32, 3))).toBe(-1)
    expect(train.labels).toEqual(labelsOf(0, 9, (i) => labelOf(i, 10)))
    const test = await readSplit(source.splits[1], 3072)
    expect(firstDifference(test.pixels, expectedPixels(1000, 3, 32, 32, 3))).toBe(-1)
  })

  it('keeps pixel bytes ≥ 0x80 intact (no text decoding of Python 2 strings)', async () => {
    const dir = writeCifar10Py(tempDir(), [6], 1)
    const train = await readSplit((await openDataset(dir)).splits[0], 3072)
    const high = train.pixels.filter((v) => v >= 0x80).length
    expect(high).toBeGreaterThan(1000)
    expect(firstDifference(train.pixels, expectedPixels(0, 6, 32, 32, 3))).toBe(-1)
  })

  it('reads CIFAR-100 pickles with fine labels as classes', async () => {
    const dir = writeCifar100Py(tempDir(), 6, 2)
    const source = await openDataset(dir)
    expect(source.format).toBe('cifar100-py')
    expect(source.classes[7]).toBe('fine7')
    expect(source.coarseClasses?.[3]).toBe('coarse3')
    const train = await readSplit(source.splits[0], 3072)
    expect(firstDifference(train.pixels, expectedPixels(0, 6, 32, 32, 3))).toBe(-1)
    expect(train.labels).toEqual(labelsOf(0, 6, fineOf))
  })
})
