/**
 * Every kind of broken input gets one bad_input error whose exact message names the file, the
 * problem, and what to do. Fixtures are the good ones from fixtures.ts, broken one way each.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../src-main/lab/data/detect'
import { fileSystemError } from '../../../src-main/lab/data/errors'
import { LabError } from '../../../src-main/api/errors'
import type { DatasetSource } from '../../../src-main/lab/data/source'
import {
  cifar10Batch,
  idxBytes,
  pickle,
  py2,
  removeTempDirs,
  tempDir,
  writeCifar100Bin,
  writeCifar10Bin,
  writeCifar10Py,
  writeIdxDataset,
  writeImage
} from './fixtures'

afterAll(removeTempDirs)

/** What registration does: open, then read every split to the end. */
async function openAndReadAll(dir: string): Promise<DatasetSource> {
  const source = await openDataset(dir)
  for (const split of source.splits) {
    await split.readLabels()
    await split.readImages(() => {})
  }
  return source
}

async function expectBadInput(dir: string, message: string): Promise<void> {
  const error = await openAndReadAll(dir).then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(LabError)
  expect({ code: (error as LabError).code, message: (error as LabError).message }).toEqual({ code: 'bad_input', message })
}

const AGAIN = 'Copy or download the file again.'

describe('broken IDX files', () => {
  it('1. wrong magic number', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.writeFileSync(train.images, Buffer.from('PK\x03\x04 this is a zip file', 'latin1'))
    await expectBadInput(
      dir,
      `${train.images}: does not start with an IDX magic number (found 50 4b 03 04, expected 00 00 08 03). Check that this is an IDX file, plain or gzip-compressed.`
    )
  })

  it('2. values that are not unsigned bytes', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.writeFileSync(train.images, idxBytes(0x0d, [12, 4, 5], new Uint8Array(12 * 20 * 4)))
    await expectBadInput(
      dir,
      `${train.images}: holds IDX values of type float (0x0d); AdvLab reads unsigned-byte IDX (0x08). Convert the data to 8-bit values.`
    )
  })

  it('3. truncated plain file', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.truncateSync(train.images, 249)
    await expectBadInput(
      dir,
      `${train.images}: has 249 bytes but its header promises 256 (12 images of 4×5×1): the file is truncated. ${AGAIN}`
    )
  })

  it('4. truncated gzip file', async () => {
    const { dir, train } = writeIdxDataset(tempDir(), { gzip: true, train: 3000 })
    const bytes = fs.readFileSync(train.images)
    fs.writeFileSync(train.images, bytes.subarray(0, Math.floor(bytes.length / 2)))
    await expectBadInput(dir, `${train.images}: the gzip data is damaged (unexpected end of file). ${AGAIN}`)
  })

  it('5. image and label counts that disagree', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.writeFileSync(train.labels, idxBytes(0x08, [11], new Uint8Array(11)))
    await expectBadInput(
      dir,
      `${train.images}: holds 12 images but train-labels-idx1-ubyte holds 11 labels. Use the images and labels files of the same download.`
    )
  })

  it('6. label out of range', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    const labels = new Uint8Array(12)
    labels[3] = 12
    fs.writeFileSync(train.labels, idxBytes(0x08, [12], labels))
    await expectBadInput(
      dir,
      `${train.labels}: label 12 of image 3 is out of range 0–9 (10 classes). An IDX set has 10 classes unless a classes.txt next to it lists one class name per line; add one, or fix the labels.`
    )
  })

  it('7. images without their labels file', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.rmSync(train.labels)
    await expectBadInput(
      dir,
      `${train.images}: has no matching train labels (…-labels-idx1-ubyte) file next to it. Put the images and labels files of each split in the same folder.`
    )
  })

  it('8. file longer than its header says', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.appendFileSync(train.images, Buffer.from([1, 2, 3]))
    await expectBadInput(dir, `${train.images}: has 259 bytes, more than the 256 its header promises (12 images of 4×5×1). ${AGAIN}`)
  })

  it('9. a folder where a file is expected', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.rmSync(train.images)
    fs.mkdirSync(train.images)
    await expectBadInput(
      dir,
      `${train.images}: is a folder, but a file was expected here. Move the folder out of the way or replace it with the file.`
    )
  })

  it('9b. a header that promises no images', async () => {
    const { dir, train } = writeIdxDataset(tempDir())
    fs.writeFileSync(train.images, idxBytes(0x08, [0, 4, 5], new Uint8Array(0)))
    fs.writeFileSync(train.labels, idxBytes(0x08, [0], new Uint8Array(0)))
    await expectBadInput(dir, `${train.images}: holds no images (its header says 0). ${AGAIN}`)
  })

  it('10. train and test images of different sizes', async () => {
    const dir = tempDir()
    writeIdxDataset(dir)
    const { writeIdxSplit } = await import('./fixtures')
    const test = writeIdxSplit(dir, 't10k', { n: 5, height: 5, width: 5 })
    await expectBadInput(
      dir,
      `${test.images}: has images of 5×5×1, but the train images are 4×5×1. Use the train and test files of the same dataset.`
    )
  })
})

describe('broken CIFAR binary files', () => {
  it('11. size not a multiple of the record', async () => {
    const dir = writeCifar10Bin(tempDir())
    const file = path.join(dir, 'data_batch_1.bin')
    fs.truncateSync(file, 6 * 3073 - 100)
    await expectBadInput(
      dir,
      `${file}: has 18,338 bytes, not a multiple of the 3,073-byte record (1 label byte + 3×32×32 pixels); it is truncated or not a CIFAR-10 binary file. Copy or extract the file again, or check the dataset format.`
    )
  })

  it('12. label out of range', async () => {
    const dir = writeCifar10Bin(tempDir())
    const file = path.join(dir, 'data_batch_2.bin')
    const bytes = fs.readFileSync(file)
    bytes[2 * 3073] = 10
    fs.writeFileSync(file, bytes)
    await expectBadInput(
      dir,
      `${file}: record 2 has label 10, out of range 0–9 (10 classes). Fix the file, or list every class name in batches.meta.txt, one per line.`
    )
  })

  it('13. empty batch file', async () => {
    const dir = writeCifar10Bin(tempDir())
    const file = path.join(dir, 'test_batch.bin')
    fs.writeFileSync(file, '')
    await expectBadInput(dir, `${file}: is empty. Copy or extract the file again.`)
  })

  it('14. CIFAR-100 coarse label out of range', async () => {
    const dir = writeCifar100Bin(tempDir())
    const file = path.join(dir, 'train.bin')
    const bytes = fs.readFileSync(file)
    bytes[3074 * 4] = 20
    fs.writeFileSync(file, bytes)
    await expectBadInput(
      dir,
      `${file}: record 4 has coarse label 20, out of range 0–19 (20 classes). Fix the file, or check fine_label_names.txt and coarse_label_names.txt.`
    )
  })
})

describe('broken CIFAR pickles', () => {
  const TODO = 'Copy or extract the file again; it must be a CIFAR batch written by Python’s pickle.'

  it('15. truncated pickle', async () => {
    const dir = writeCifar10Py(tempDir())
    const file = path.join(dir, 'data_batch_1')
    fs.truncateSync(file, 4000)
    await expectBadInput(dir, `${file}: cannot be read as a pickle: the pickle ends early, after 4000 bytes (truncated). ${TODO}`)
  })

  it('16. labels and images that disagree in number', async () => {
    const dir = writeCifar10Py(tempDir())
    const file = path.join(dir, 'data_batch_2')
    const batch = cifar10Batch(5, 4)
    batch.set(py2('labels'), [1, 2, 3])
    fs.writeFileSync(file, pickle(batch))
    await expectBadInput(dir, `${file}: holds 4 images but 3 labels. ${TODO}`)
  })

  it('17. label out of range in a pickle', async () => {
    const dir = writeCifar10Py(tempDir())
    const file = path.join(dir, 'test_batch')
    const batch = cifar10Batch(1000, 3)
    batch.set(py2('labels'), [1, 11, 3])
    fs.writeFileSync(file, pickle(batch))
    await expectBadInput(
      dir,
      `${file}: labels[1] is 11, out of range 0–9 (10 classes). Fix the file, or check the label_names in ${path.join(dir, 'batches.meta')}.`
    )
  })

  it('18. a pickle that is not a dictionary', async () => {
    const dir = writeCifar10Py(tempDir())
    const file = path.join(dir, 'data_batch_1')
    fs.writeFileSync(file, pickle([1, 2, 3]))
    await expectBadInput(dir, `${file}: holds a pickle, but not a dictionary. ${TODO}`)
  })
})

describe('broken image folders', () => {
  it('19. an image that cannot be decoded', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'cat', '0.png'), 0, 4, 4, 3, 'png')
    const file = path.join(root, 'cat', '1.png')
    fs.writeFileSync(file, 'this is not a PNG')
    await expectBadInput(
      root,
      `${file}: cannot be decoded as an image: its contents are not a PNG, JPEG, BMP or WebP image. Replace or delete the file, then register the folder again.`
    )
  })

  it('20. a truncated PNG', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'cat', '0.png'), 0, 16, 16, 3, 'png')
    const file = path.join(root, 'dog', '1.png')
    await writeImage(file, 1, 16, 16, 3, 'png')
    fs.truncateSync(file, fs.statSync(file).size - 30)
    await expectBadInput(
      root,
      `${file}: cannot be decoded as an image: its image data is damaged or truncated. Replace or delete the file, then register the folder again.`
    )
  })

  it('20b. a .bmp file that is not a BMP', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'cat', '0.bmp'), 0, 4, 4, 3, 'bmp')
    const file = path.join(root, 'cat', '1.bmp')
    fs.writeFileSync(file, 'GIF89a, not a bitmap')
    await expectBadInput(
      root,
      `${file}: cannot be decoded as an image: its contents are not a PNG, JPEG, BMP or WebP image. Replace or delete the file, then register the folder again.`
    )
  })

  it('21. an empty class folder', async () => {
    const root = tempDir()
    await writeImage(path.join(root, 'cat', '0.png'), 0, 4, 4, 3, 'png')
    fs.mkdirSync(path.join(root, 'dog'))
    fs.writeFileSync(path.join(root, 'dog', 'README.txt'), 'no images here')
    await expectBadInput(
      root,
      `${path.join(root, 'dog')}: is an empty class folder (no .png, .jpg, .jpeg, .bmp, .webp images). Add images to it or remove the folder.`
    )
  })
})

describe('broken paths', () => {
  it('22. a path that does not exist', async () => {
    const missing = path.join(tempDir(), 'no-such-folder')
    await expectBadInput(
      missing,
      `${missing}: does not exist. Check the path (is the drive mounted, the archive extracted?) and try again.`
    )
  })

  it('23. an archive instead of a folder', async () => {
    const file = path.join(tempDir(), 'cifar-10-binary.tar.gz')
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from('tar')))
    await expectBadInput(
      file,
      `${file}: is a file, but a dataset folder was expected. It looks like an archive: extract it first, then point AdvLab at the extracted folder.`
    )
  })

  it('24. a folder with nothing AdvLab recognises', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello')
    await expectBadInput(
      dir,
      `${dir}: holds no dataset AdvLab recognises. Expected IDX files (train-images-idx3-ubyte…), CIFAR batches (data_batch_1.bin, data_batch_1, train.bin…), or one folder of images per class.`
    )
  })

  it('25. permission denied (EACCES/EPERM) is reported as such', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const error = fileSystemError(Object.assign(new Error(`${code}: permission denied, open '/x/train.bin'`), { code }), '/x/train.bin')
      expect(error).toMatchObject({
        code: 'bad_input',
        message: '/x/train.bin: permission denied. Give your user read access to it (e.g. chmod a+r) and try again.'
      })
    }
  })

  // Tests run as root, for whom chmod 000 stops nothing: the real check runs as user nobody.
  const asNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0
  it.skipIf(!asNobody)('26. an unreadable file, read by a user without permission (needs root + setpriv to switch user)', () => {
    const dir = tempDir()
    fs.chmodSync(dir, 0o755)
    const { train } = writeIdxDataset(dir)
    fs.chmodSync(train.images, 0o000)
    const probe = path.join(dir, 'probe.mts')
    const detect = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-main/lab/data/detect.ts')
    fs.writeFileSync(
      probe,
      `import { openDataset } from ${JSON.stringify(detect)}
try { await openDataset(process.argv[2]); console.log('{}') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`
    )
    const run = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', probe, dir],
      {
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp' },
        cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
      }
    )
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({
      code: 'bad_input',
      message: `${train.images}: permission denied. Give your user read access to it (e.g. chmod a+r) and try again.`
    })
  })
})
