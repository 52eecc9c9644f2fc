/**
 * Dataset files built in code, in every format AdvLab reads. Each pixel's value encodes its image,
 * row, column and channel (pixelValue), so a reader that swaps CHW/HWC, rows/columns or byte order
 * produces different numbers and fails. Images are deliberately not square.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import sharp from 'sharp'
import { encode as encodeBmp } from 'bmp-ts'

export function pixelValue(image: number, row: number, col: number, channel: number): number {
  return (image * 47 + row * 13 + col * 5 + channel * 71 + 11) & 0xff
}

export const labelOf = (image: number, classes: number) => (image * 7 + 3) % classes

const created: string[] = []

export function tempDir(prefix = 'advlab-data-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  created.push(dir)
  return dir
}

/** Deletes every folder tempDir made; call from afterAll. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** One image as HWC bytes; `offset` shifts the image number (e.g. test images after train ones). */
export function hwcImage(image: number, height: number, width: number, channels: number): Uint8Array {
  const out = new Uint8Array(height * width * channels)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = pixelValue(image, y, x, c)
  return out
}

export function chwImage(image: number, height: number, width: number, channels: number): Uint8Array {
  const out = new Uint8Array(height * width * channels)
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[c * height * width + y * width + x] = pixelValue(image, y, x, c)
  return out
}

// ---------------------------------------------------------------- IDX

export function idxBytes(typeCode: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length)
  header[2] = typeCode
  header[3] = dims.length
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i))
  return Buffer.concat([header, data])
}

export interface IdxOptions {
  n: number
  height?: number
  width?: number
  classes?: number
  gzip?: boolean
  /** 'dash': train-images-idx3-ubyte; 'dot': train-images.idx3-ubyte */
  spelling?: 'dash' | 'dot'
  /** Image numbers start here (so train and test images differ). */
  first?: number
}

export function writeIdxSplit(dir: string, split: 'train' | 't10k', options: IdxOptions): { images: string; labels: string } {
  const { n, height = 4, width = 5, classes = 10, gzip = false, spelling = 'dash', first = 0 } = options
  const pixels = new Uint8Array(n * height * width)
  for (let i = 0; i < n; i++) pixels.set(hwcImage(first + i, height, width, 1), i * height * width)
  const labels = Uint8Array.from({ length: n }, (_, i) => labelOf(first + i, classes))
  const sep = spelling === 'dash' ? '-' : '.'
  const name = (kind: string, d: number) => `${split}-${kind}${sep}idx${d}-ubyte${gzip ? '.gz' : ''}`
  const pack = (b: Buffer) => (gzip ? zlib.gzipSync(b) : b)
  const images = path.join(dir, name('images', 3))
  const labelsFile = path.join(dir, name('labels', 1))
  fs.writeFileSync(images, pack(idxBytes(0x08, [n, height, width], pixels)))
  fs.writeFileSync(labelsFile, pack(idxBytes(0x08, [n], labels)))
  return { images, labels: labelsFile }
}

export function writeIdxDataset(dir: string, options: Partial<IdxOptions> & { train?: number; test?: number } = {}) {
  const train = writeIdxSplit(dir, 'train', { ...options, n: options.train ?? 12, first: 0 })
  const test = writeIdxSplit(dir, 't10k', { ...options, n: options.test ?? 5, first: 1000 })
  return { dir, train, test }
}

// ---------------------------------------------------------------- CIFAR binary

export const CIFAR_NAMES_10 = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']

/** Records of `labelBytes` label bytes + 3×32×32 CHW pixels, for images first..first+n-1. */
export function cifarRecords(first: number, n: number, labels: (image: number) => number[]): Buffer {
  const size = labels(0).length + 3072
  const out = Buffer.alloc(n * size)
  for (let i = 0; i < n; i++) {
    const image = first + i
    const l = labels(image)
    l.forEach((v, b) => (out[i * size + b] = v))
    out.set(chwImage(image, 32, 32, 3), i * size + l.length)
  }
  return out
}

export function writeCifar10Bin(dir: string, batches = [6, 5], test = 4): string {
  let first = 0
  batches.forEach((n, b) => {
    fs.writeFileSync(
      path.join(dir, `data_batch_${b + 1}.bin`),
      cifarRecords(first, n, (i) => [labelOf(i, 10)])
    )
    first += n
  })
  fs.writeFileSync(
    path.join(dir, 'test_batch.bin'),
    cifarRecords(1000, test, (i) => [labelOf(i, 10)])
  )
  fs.writeFileSync(path.join(dir, 'batches.meta.txt'), CIFAR_NAMES_10.join('\n') + '\n\n')
  return dir
}

export const coarseOf = (image: number) => (image * 3 + 1) % 20
export const fineOf = (image: number) => labelOf(image, 100)

export function writeCifar100Bin(dir: string, train = 7, test = 3): string {
  fs.writeFileSync(
    path.join(dir, 'train.bin'),
    cifarRecords(0, train, (i) => [coarseOf(i), fineOf(i)])
  )
  fs.writeFileSync(
    path.join(dir, 'test.bin'),
    cifarRecords(1000, test, (i) => [coarseOf(i), fineOf(i)])
  )
  fs.writeFileSync(path.join(dir, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'))
  fs.writeFileSync(path.join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n'))
  return dir
}

// ---------------------------------------------------------------- Python pickles (as Python 2's cPickle writes them)

/** Marks a JS string to be written as a Python 2 `str` (SHORT_BINSTRING/BINSTRING), like CIFAR's keys. */
export class Py2Str {
  constructor(readonly bytes: Buffer) {}
}
export const py2 = (text: string) => new Py2Str(Buffer.from(text, 'latin1'))
export class NumpyU8 {
  constructor(
    readonly shape: number[],
    readonly data: Buffer
  ) {}
}

/** Protocol-2 pickle writer for dicts, lists, ints, Python 2 str and uint8 numpy arrays. */
export function pickle(value: unknown): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02])]
  let memo = 0
  const put = () => parts.push(Buffer.from([0x71, ++memo & 0xff])) // BINPUT
  const str = (s: Py2Str) => {
    if (s.bytes.length < 256) parts.push(Buffer.from([0x55, s.bytes.length]), s.bytes)
    else {
      const len = Buffer.alloc(4)
      len.writeInt32LE(s.bytes.length)
      parts.push(Buffer.from([0x54]), len, s.bytes)
    }
    put()
  }
  const int = (v: number) => {
    if (v >= 0 && v < 256) parts.push(Buffer.from([0x4b, v]))
    else {
      const b = Buffer.alloc(5)
      b[0] = 0x4a
      b.writeInt32LE(v, 1)
      parts.push(b)
    }
  }
  const write = (v: unknown): void => {
    if (v instanceof Py2Str) str(v)
    else if (typeof v === 'number') int(v)
    else if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8')
      const len = Buffer.alloc(4)
      len.writeUInt32LE(b.length)
      parts.push(Buffer.from([0x58]), len, b)
      put()
    } else if (Array.isArray(v)) {
      parts.push(Buffer.from([0x5d])) // EMPTY_LIST
      put()
      if (v.length > 0) {
        parts.push(Buffer.from([0x28])) // MARK
        v.forEach(write)
        parts.push(Buffer.from([0x65])) // APPENDS
      }
    } else if (v instanceof NumpyU8) {
      // numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), 'b') then BUILD with the state
      parts.push(Buffer.from('cnumpy.core.multiarray\n_reconstruct\n', 'latin1'))
      put()
      parts.push(Buffer.from('cnumpy\nndarray\n', 'latin1'))
      put()
      int(0)
      parts.push(Buffer.from([0x85])) // TUPLE1
      put()
      str(py2('b'))
      parts.push(Buffer.from([0x87, 0x52])) // TUPLE3, REDUCE
      put()
      parts.push(Buffer.from([0x28])) // MARK: state tuple
      int(1)
      parts.push(Buffer.from([0x28]))
      v.shape.forEach(int)
      parts.push(Buffer.from([0x74])) // TUPLE
      put()
      parts.push(Buffer.from('cnumpy\ndtype\n', 'latin1'))
      put()
      str(py2('u1'))
      int(0)
      int(1)
      parts.push(Buffer.from([0x87, 0x52])) // TUPLE3, REDUCE
      put()
      parts.push(Buffer.from([0x28]))
      int(3)
      str(py2('|'))
      parts.push(Buffer.from([0x4e, 0x4e, 0x4e]))
      parts.push(Buffer.from([0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff]))
      int(0)
      parts.push(Buffer.from([0x74, 0x62])) // TUPLE, BUILD (dtype state)
      parts.push(Buffer.from([0x89])) // NEWFALSE: not Fortran order
      str(new Py2Str(v.data))
      parts.push(Buffer.from([0x74, 0x62])) // TUPLE, BUILD (array state)
    } else if (v instanceof Map) {
      parts.push(Buffer.from([0x7d])) // EMPTY_DICT
      put()
      parts.push(Buffer.from([0x28]))
      for (const [k, val] of v) {
        write(k)
        write(val)
      }
      parts.push(Buffer.from([0x75])) // SETITEMS
    } else throw new Error(`pickle: cannot write ${String(v)}`)
  }
  write(value)
  parts.push(Buffer.from([0x2e])) // STOP
  return Buffer.concat(parts)
}

export function cifarPixelsChw(first: number, n: number): Buffer {
  const out = Buffer.alloc(n * 3072)
  for (let i = 0; i < n; i++) out.set(chwImage(first + i, 32, 32, 3), i * 3072)
  return out
}

export function cifar10Batch(first: number, n: number): Map<unknown, unknown> {
  return new Map<unknown, unknown>([
    [py2('batch_label'), py2('training batch')],
    [py2('labels'), Array.from({ length: n }, (_, i) => labelOf(first + i, 10))],
    [py2('data'), new NumpyU8([n, 3072], cifarPixelsChw(first, n))],
    [py2('filenames'), Array.from({ length: n }, (_, i) => py2(`img_${first + i}.png`))]
  ])
}

export function writeCifar10Py(dir: string, batches = [5, 4], test = 3): string {
  let first = 0
  batches.forEach((n, b) => {
    fs.writeFileSync(path.join(dir, `data_batch_${b + 1}`), pickle(cifar10Batch(first, n)))
    first += n
  })
  fs.writeFileSync(path.join(dir, 'test_batch'), pickle(cifar10Batch(1000, test)))
  fs.writeFileSync(
    path.join(dir, 'batches.meta'),
    pickle(
      new Map<unknown, unknown>([
        [py2('label_names'), CIFAR_NAMES_10.map(py2)],
        [py2('num_cases_per_batch'), 10000]
      ])
    )
  )
  return dir
}

export function cifar100Batch(first: number, n: number): Map<unknown, unknown> {
  return new Map<unknown, unknown>([
    [py2('filenames'), Array.from({ length: n }, (_, i) => py2(`img_${first + i}.png`))],
    [py2('fine_labels'), Array.from({ length: n }, (_, i) => fineOf(first + i))],
    [py2('coarse_labels'), Array.from({ length: n }, (_, i) => coarseOf(first + i))],
    [py2('data'), new NumpyU8([n, 3072], cifarPixelsChw(first, n))]
  ])
}

export function writeCifar100Py(dir: string, train = 6, test = 2): string {
  fs.writeFileSync(path.join(dir, 'train'), pickle(cifar100Batch(0, train)))
  fs.writeFileSync(path.join(dir, 'test'), pickle(cifar100Batch(1000, test)))
  fs.writeFileSync(
    path.join(dir, 'meta'),
    pickle(
      new Map<unknown, unknown>([
        [py2('fine_label_names'), Array.from({ length: 100 }, (_, i) => py2(`fine${i}`))],
        [py2('coarse_label_names'), Array.from({ length: 20 }, (_, i) => py2(`coarse${i}`))]
      ])
    )
  )
  return dir
}

// ---------------------------------------------------------------- ImageFolder

export type ImageKind = 'png' | 'bmp' | 'webp' | 'jpg'

/** Writes image `image` as a lossless file (PNG, BMP, lossless WebP) or a JPEG. */
export async function writeImage(
  file: string,
  image: number,
  height: number,
  width: number,
  channels: 1 | 3,
  kind: ImageKind
): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const hwc = Buffer.from(hwcImage(image, height, width, channels))
  if (kind === 'bmp') {
    // bmp-ts takes ABGR bytes per pixel.
    const abgr = Buffer.alloc(height * width * 4)
    for (let p = 0; p < height * width; p++) {
      const r = hwc[p * channels],
        g = hwc[p * channels + (channels === 3 ? 1 : 0)],
        b = hwc[p * channels + (channels === 3 ? 2 : 0)]
      abgr[4 * p] = 0xff
      abgr[4 * p + 1] = b
      abgr[4 * p + 2] = g
      abgr[4 * p + 3] = r
    }
    fs.writeFileSync(file, encodeBmp({ data: abgr, width, height, bitPP: 24 } as never).data)
    return
  }
  let img = sharp(hwc, { raw: { width, height, channels } })
  if (channels === 1) img = img.toColourspace('b-w')
  const out = kind === 'png' ? img.png() : kind === 'webp' ? img.webp({ lossless: true }) : img.jpeg({ quality: 95 })
  fs.writeFileSync(file, await out.toBuffer())
}
