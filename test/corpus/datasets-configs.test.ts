/**
 * The dataset and config part of the malformed-input corpus: files built in code in every dataset
 * format AdvLab reads (IDX plain and gzip, CIFAR binary and pickle, ImageFolder) and experiment
 * configs (train / distill / sweep, YAML and JSON) as the CLI reads them. Every case must end in a
 * structured error — the contract's code, and a message naming the file, field or value that was
 * wrong — or, for the few inputs that are usable, a registration with a warning. After each case
 * the service still answers `status.get`, the log passes `PRAGMA integrity_check`, no table's row
 * count changed (beyond the registered dataset of an accepted case), and nothing was written
 * outside the data directory.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabError, type ApiError } from '../../src-main/api/errors'
import { ConfigFileError, readConfigFile } from '../../src-main/cli/config-file'
import { rememberBuiltinRemoved, BUILTIN_DATASETS } from '../../src-main/lab/data/builtins'
import { createRun, setRunStatus } from '../../src-main/lab/store/runs'
import {
  cifar10Batch,
  idxBytes,
  NumpyU8,
  pickle,
  py2,
  writeCifar100Bin,
  writeCifar10Bin,
  writeCifar10Py,
  writeIdxDataset,
  writeIdxSplit,
  writeImage
} from '../unit/data/fixtures'
import { harmSince, NO_HARM, openCorpusLab, snapshot, type CorpusLab } from './harness'

let c: CorpusLab
const tally = { cases: 0, cleanErrors: 0, acceptedWithWarning: 0, crashes: 0 }
/** A completed model run on a dataset that has no test images (for the sweep refusal). */
let noTestModel = 0

beforeAll(async () => {
  c = openCorpusLab('datasets-configs')
  // No case may register MNIST as a side effect of reaching a handler: the built-ins count as removed.
  for (const b of BUILTIN_DATASETS) rememberBuiltinRemoved(c.lab.ctx, b.id)
  const tiny = writeIdxDataset(dir('setup-tiny'), { train: 30, test: 10 }).dir
  expect((await c.lab.handle('datasets.register', { path: tiny, name: 'tiny' })).ok).toBe(true)
  const trainOnly = dir('setup-train-only')
  writeIdxSplit(trainOnly, 'train', { n: 12 })
  const registered = await c.api.request('datasets.register', { path: trainOnly, name: 'train only' })
  noTestModel = createRun(c.db, {
    datasetId: registered.dataset.id,
    name: 'model without test images',
    kind: 'train',
    config: { dataset: 'train only', model: { arch: 'mlp' } },
    seed: 0
  })
  setRunStatus(c.db, noTestModel, 'completed')
  c.db
    .prepare("INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'weights', 'runs/1/weights.bin', 'x', 1, ?)")
    .run(noTestModel, new Date().toISOString())
})

afterAll(async () => {
  // The counts the issue asks for, in the test output.
  process.stdout.write(
    `datasets-configs corpus: ${tally.cases} cases, ${tally.cleanErrors} clean errors, ${tally.acceptedWithWarning} accepted with a warning, ${tally.crashes} crashes\n`
  )
  await c?.close()
})

/** A fresh folder under inputs/ (outside the data directory, listed by the harness). */
function dir(name: string): string {
  const d = path.join(c.inputsDir, name)
  fs.mkdirSync(d, { recursive: true })
  return d
}

type Outcome = { kind: 'error'; error: ApiError } | { kind: 'accepted'; result: unknown } | { kind: 'crash'; detail: string }

/** The contract's answer to `method`; an internal error or a throw is a crash. */
async function ask(method: string, params: unknown): Promise<Outcome> {
  try {
    const response = await c.lab.handle(method, params)
    if (response.ok) return { kind: 'accepted', result: response.result }
    if (response.error.code === 'internal') return { kind: 'crash', detail: response.error.message }
    return { kind: 'error', error: response.error }
  } catch (error) {
    return { kind: 'crash', detail: `handle threw: ${(error as Error).stack}` }
  }
}

/** What `lab train|distill|sweep <file>` does: read the file, then send the request it holds. */
async function viaCli(method: string, file: string): Promise<Outcome> {
  let config: Record<string, unknown>
  try {
    config = readConfigFile(file)
  } catch (error) {
    if (error instanceof ConfigFileError) return { kind: 'error', error: { code: error.code, message: error.message } }
    if (error instanceof LabError) return { kind: 'error', error: error.toApiError() }
    return { kind: 'crash', detail: `readConfigFile threw: ${(error as Error).stack}` }
  }
  return ask(method, config)
}

interface Expectation {
  code: ApiError['code']
  /** Texts the message must contain (the file, the value, the problem). */
  says: Array<string | RegExp>
  field?: string
}

/** Builds the input (before the snapshot), acts, and checks the answer and every harm. */
async function corpusCase(
  build: () => Promise<() => Promise<Outcome>> | (() => Promise<Outcome>),
  expected: Expectation | 'accepted with a warning'
): Promise<void> {
  tally.cases++
  const act = await build()
  const before = snapshot(c)
  const outcome = await act()
  if (outcome.kind === 'crash') tally.crashes++
  if (expected === 'accepted with a warning') {
    expect(outcome.kind, JSON.stringify(outcome)).toBe('accepted')
    const dataset = (outcome as { result: { dataset: { notes: string[] } } }).result.dataset
    expect(dataset.notes.some((n) => n.startsWith('Warning:'))).toBe(true)
    expect(await harmSince(c, before, ['datasets', 'artifacts'])).toEqual(NO_HARM)
    tally.acceptedWithWarning++
    return
  }
  expect(outcome.kind, JSON.stringify(outcome)).toBe('error')
  const error = (outcome as { error: ApiError }).error
  expect(error.code, error.message).toBe(expected.code)
  for (const text of expected.says) {
    if (typeof text === 'string') expect(error.message).toContain(text)
    else expect(error.message).toMatch(text)
  }
  if (expected.field !== undefined) expect(error.field).toBe(expected.field)
  expect(await harmSince(c, before)).toEqual(NO_HARM)
  tally.cleanErrors++
}

const register = (p: string) => () => ask('datasets.register', { path: p })
const bad = (...says: Array<string | RegExp>): Expectation => ({ code: 'bad_input', says })

// ---- IDX ------------------------------------------------------------------------------------

/** A good IDX folder (train 12, test 5, 4×5 images), to break one way. */
const idx = (name: string) => {
  const d = writeIdxDataset(dir(name))
  return { ...d, trainImages: d.train.images, trainLabels: d.train.labels }
}
/** Gzip members of zeros after a gzipped header: small on disk, large inflated. */
const gzipWithZeros = (header: Buffer, zeroBytes: number) => Buffer.concat([zlib.gzipSync(header), zlib.gzipSync(Buffer.alloc(zeroBytes))])

describe('IDX files', () => {
  it('a zip file under an IDX name', () =>
    corpusCase(
      () => {
        const d = idx('idx-magic')
        fs.writeFileSync(d.trainImages, Buffer.from('PK\x03\x04 this is a zip', 'latin1'))
        return register(d.dir)
      },
      bad(`${path.join(c.inputsDir, 'idx-magic', 'train-images-idx3-ubyte')}: does not start with an IDX magic number (found 50 4b 03 04`)
    ))

  it('float values instead of bytes', () =>
    corpusCase(() => {
      const d = idx('idx-float')
      fs.writeFileSync(d.trainImages, idxBytes(0x0d, [12, 4, 5], new Uint8Array(12 * 20 * 8)))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: holds IDX values of type float (0x0d)')))

  it('an images file with 2 dimensions', () =>
    corpusCase(() => {
      const d = idx('idx-2d')
      fs.writeFileSync(d.trainImages, idxBytes(0x08, [12, 20], new Uint8Array(240)))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: has 2 dimensions')))

  it('a truncated plain images file', () =>
    corpusCase(
      () => {
        const d = idx('idx-truncated')
        fs.truncateSync(d.trainImages, 100)
        return register(d.dir)
      },
      bad('train-images-idx3-ubyte: has 100 bytes but its header promises 256', 'truncated')
    ))

  it('an images file longer than its header says', () =>
    corpusCase(() => {
      const d = idx('idx-long')
      fs.appendFileSync(d.trainImages, Buffer.alloc(7))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: has 263 bytes, more than the 256 its header promises')))

  it('12 images but 11 labels', () =>
    corpusCase(() => {
      const d = idx('idx-count')
      fs.writeFileSync(d.trainLabels, idxBytes(0x08, [11], new Uint8Array(11)))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: holds 12 images but train-labels-idx1-ubyte holds 11 labels')))

  it('a label of 200 with 10 classes', () =>
    corpusCase(() => {
      const d = idx('idx-label')
      fs.writeFileSync(
        d.trainLabels,
        idxBytes(
          0x08,
          [12],
          Uint8Array.from({ length: 12 }, (_, i) => (i === 3 ? 200 : 1))
        )
      )
      return register(d.dir)
    }, bad('train-labels-idx1-ubyte: label 200 of image 3 is out of range 0–9')))

  it('images without their labels file', () =>
    corpusCase(() => {
      const d = idx('idx-no-labels')
      fs.rmSync(d.trainLabels)
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: has no matching train labels')))

  it('a header that promises no images', () =>
    corpusCase(() => {
      const d = idx('idx-zero')
      fs.writeFileSync(d.trainImages, idxBytes(0x08, [0, 4, 5], new Uint8Array(0)))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: holds no images (its header says 0)')))

  it('a plain header declaring 100,000 images of 4096×4096', () =>
    corpusCase(
      () => {
        const d = idx('idx-plain-cap')
        fs.writeFileSync(d.trainImages, idxBytes(0x08, [100_000, 4096, 4096], new Uint8Array(0)))
        return register(d.dir)
      },
      bad('train-images-idx3-ubyte: its header declares 100,000 images of 4096×4096×1, 1,677,721,600,000 bytes of pixels', '2 GiB')
    ))

  it('images of 0×5 pixels', () =>
    corpusCase(() => {
      const d = idx('idx-zero-height')
      fs.writeFileSync(d.trainImages, idxBytes(0x08, [12, 0, 5], new Uint8Array(0)))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: has image size 0×5×1')))

  it('a labels header declaring four billion labels', () =>
    corpusCase(() => {
      const d = idx('idx-labels-cap')
      fs.writeFileSync(d.trainLabels, idxBytes(0x08, [0xffff_ffff], new Uint8Array(0)))
      return register(d.dir)
    }, bad('train-labels-idx1-ubyte: its header declares 4,294,967,295 labels; AdvLab reads at most 10,000,000 images')))

  it('a folder where the images file should be', () =>
    corpusCase(() => {
      const d = idx('idx-folder')
      fs.rmSync(d.trainImages)
      fs.mkdirSync(d.trainImages)
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: is a folder, but a file was expected here')))

  it('train and test images of different sizes', () =>
    corpusCase(() => {
      const d = idx('idx-sizes')
      writeIdxSplit(d.dir, 't10k', { n: 5, height: 5, width: 5 })
      return register(d.dir)
    }, bad('t10k-images-idx3-ubyte: has images of 5×5×1, but the train images are 4×5×1')))

  it('two IDX sets in one folder', () =>
    corpusCase(() => {
      const d = idx('idx-two-sets')
      for (const name of ['fashion-train-images-idx3-ubyte', 'fashion-train-labels-idx1-ubyte'])
        fs.copyFileSync(path.join(d.dir, name.slice(8)), path.join(d.dir, name))
      return register(d.dir)
    }, bad('idx-two-sets: holds several IDX sets')))

  it('a gzip images file whose header declares 1024×4096×4096 (a bomb)', () =>
    corpusCase(
      () => {
        const d = idx('idx-gzip-bomb')
        fs.rmSync(d.trainImages)
        fs.writeFileSync(`${d.trainImages}.gz`, gzipWithZeros(idxBytes(0x08, [1024, 4096, 4096], new Uint8Array(0)), 1 << 20))
        return register(d.dir)
      },
      bad(
        'train-images-idx3-ubyte.gz: its header declares 1,024 images of 4096×4096×1, 17,179,869,184 bytes of pixels',
        '2,147,483,648 bytes (2 GiB)'
      )
    ))

  it('a gzip labels file declaring four billion labels', () =>
    corpusCase(() => {
      const d = idx('idx-gzip-labels')
      fs.rmSync(d.trainLabels)
      fs.writeFileSync(`${d.trainLabels}.gz`, gzipWithZeros(idxBytes(0x08, [0xffff_ffff], new Uint8Array(0)), 1 << 20))
      return register(d.dir)
    }, bad('train-labels-idx1-ubyte.gz: its header declares 4,294,967,295 labels')))

  it('a gzip file that inflates past its header', () =>
    corpusCase(() => {
      const d = idx('idx-gzip-long')
      fs.rmSync(d.trainImages)
      fs.writeFileSync(`${d.trainImages}.gz`, gzipWithZeros(idxBytes(0x08, [12, 4, 5], new Uint8Array(240)), 4 << 20))
      return register(d.dir)
    }, bad('train-images-idx3-ubyte.gz: is longer than the 12 images its header promises')))

  it('a damaged gzip stream', () =>
    corpusCase(
      () => {
        const d = idx('idx-gzip-damaged')
        const gz = zlib.gzipSync(fs.readFileSync(d.trainImages))
        for (let i = 12; i < gz.length - 8; i += 3) gz[i] ^= 0x5a
        fs.rmSync(d.trainImages)
        fs.writeFileSync(`${d.trainImages}.gz`, gz)
        return register(d.dir)
      },
      bad('train-images-idx3-ubyte.gz: ', /gzip data is damaged|does not start with an IDX magic|truncated/)
    ))

  it('a truncated gzip file', () =>
    corpusCase(
      () => {
        const d = idx('idx-gzip-truncated')
        const gz = zlib.gzipSync(fs.readFileSync(d.trainImages))
        fs.rmSync(d.trainImages)
        fs.writeFileSync(`${d.trainImages}.gz`, gz.subarray(0, gz.length >> 1))
        return register(d.dir)
      },
      bad('train-images-idx3-ubyte.gz: ', /truncated|damaged/)
    ))
})

// ---- CIFAR binary ---------------------------------------------------------------------------

describe('CIFAR binary files', () => {
  it('a batch whose size is not a whole number of records', () =>
    corpusCase(
      () => {
        const d = writeCifar10Bin(dir('cifar-bin-size'))
        fs.truncateSync(path.join(d, 'data_batch_1.bin'), 3073 * 2 + 100)
        return register(d)
      },
      bad('data_batch_1.bin: ', '3,073')
    ))

  it('a label of 10 with 10 classes', () =>
    corpusCase(() => {
      const d = writeCifar10Bin(dir('cifar-bin-label'))
      const file = path.join(d, 'data_batch_2.bin')
      const bytes = fs.readFileSync(file)
      bytes[3073] = 10
      fs.writeFileSync(file, bytes)
      return register(d)
    }, bad('data_batch_2.bin: record 1 has label 10, out of range 0–9')))

  it('an empty batch file', () =>
    corpusCase(() => {
      const d = writeCifar10Bin(dir('cifar-bin-empty'))
      fs.writeFileSync(path.join(d, 'data_batch_2.bin'), '')
      return register(d)
    }, bad('data_batch_2.bin: ')))

  it('a CIFAR-100 coarse label of 20', () =>
    corpusCase(() => {
      const d = writeCifar100Bin(dir('cifar100-bin-coarse'))
      const file = path.join(d, 'train.bin')
      const bytes = fs.readFileSync(file)
      bytes[3074 * 2] = 20
      fs.writeFileSync(file, bytes)
      return register(d)
    }, bad('train.bin: record 2 has coarse label 20, out of range 0–19')))

  it('a class-name list of 20 MB', () =>
    corpusCase(() => {
      const d = writeCifar10Bin(dir('cifar-bin-meta-huge'))
      fs.truncateSync(path.join(d, 'batches.meta.txt'), 20_000_000)
      return register(d)
    }, bad('batches.meta.txt: is 20,000,000 bytes, but a class-name list is read whole and may be at most 16,777,216 bytes')))

  it('a class-name list with no names', () =>
    corpusCase(() => {
      const d = writeCifar10Bin(dir('cifar-bin-meta'))
      fs.writeFileSync(path.join(d, 'batches.meta.txt'), '\n\n  \n')
      return register(d)
    }, bad('batches.meta.txt: lists no class names')))
})

// ---- CIFAR pickles --------------------------------------------------------------------------

/** A CIFAR-10 python folder with data_batch_1 replaced by `bytes`. */
function cifarPickle(name: string, bytes: Buffer): () => Promise<Outcome> {
  const d = writeCifar10Py(dir(name))
  fs.writeFileSync(path.join(d, 'data_batch_1'), bytes)
  return register(d)
}
const asm = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))
const key = (text: string) => [0x55, text.length, ...Buffer.from(text, 'latin1')]
const NEW_ARRAY: Array<number[] | string> = [
  'cnumpy.core.multiarray\n_reconstruct\n',
  'cnumpy\nndarray\n',
  [0x4b, 0],
  [0x85],
  key('b'),
  [0x87, 0x52]
]
const DTYPE_U1: Array<number[] | string> = ['cnumpy\ndtype\n', key('u1'), [0x4b, 0, 0x4b, 1], [0x87, 0x52]]
/** {'data': <array>} whose BUILD gets `state`. */
const dataArrayWithState = (...state: Array<number[] | string>) =>
  asm([0x80, 2, 0x7d, 0x28], key('data'), ...NEW_ARRAY, ...state, [0x62, 0x75, 0x2e])

describe('CIFAR pickles', () => {
  it('a truncated pickle', () =>
    corpusCase(
      () => cifarPickle('pickle-truncated', pickle(cifar10Batch(0, 5)).subarray(0, 4000)),
      bad('data_batch_1: cannot be read as a pickle: the pickle ends early, after 4000 bytes (truncated)')
    ))

  it('a pickle of a list, not a dictionary', () =>
    corpusCase(() => cifarPickle('pickle-list', pickle([1, 2, 3])), bad('data_batch_1: holds a pickle, but not a dictionary')))

  it('a BUILD with a None state', () =>
    corpusCase(
      () => cifarPickle('pickle-build-none', dataArrayWithState([0x4e])),
      bad('data_batch_1: cannot be read as a pickle: BUILD', 'gives a numpy array the state None')
    ))

  it('a shape that is an int', () =>
    corpusCase(
      () => cifarPickle('pickle-shape-int', dataArrayWithState([0x28, 0x4b, 1, 0x4b, 5], ...DTYPE_U1, [0x89], key('\0\0\0\0\0'), [0x74])),
      bad('data_batch_1: cannot be read as a pickle: BUILD', 'the shape 5 (an int)')
    ))

  it('a negative size in a shape', () =>
    corpusCase(
      () =>
        cifarPickle(
          'pickle-shape-negative',
          dataArrayWithState([0x28, 0x4b, 1, 0x28, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x74], ...DTYPE_U1, [0x89], key(''), [0x74])
        ),
      bad('data_batch_1: cannot be read as a pickle: BUILD', 'the shape (-1 (an int))', 'whole number ≥ 0')
    ))

  it('APPEND onto a dict', () =>
    corpusCase(
      () => cifarPickle('pickle-append-dict', asm([0x80, 2, 0x7d, 0x4b, 1, 0x61, 0x2e])),
      bad('data_batch_1: cannot be read as a pickle: APPEND (opcode 0x61 at byte 5) adds to a dict')
    ))

  it('an opcode AdvLab does not read (PERSID)', () =>
    corpusCase(
      () => cifarPickle('pickle-persid', asm([0x80, 2, 0x50], 'x\n', [0x2e])),
      bad('data_batch_1: cannot be read as a pickle: unsupported pickle opcode 0x50 at byte 2')
    ))

  it('a memo entry that was never stored', () =>
    corpusCase(
      () => cifarPickle('pickle-memo', asm([0x80, 2, 0x68, 5, 0x2e])),
      bad('data_batch_1: cannot be read as a pickle: the pickle refers to memo entry 5')
    ))

  it('a call to os.system, which is never run', () =>
    corpusCase(() => {
      const marker = path.join(c.parent, 'pwned')
      return cifarPickle(
        'pickle-os-system',
        asm([0x80, 2, 0x7d, 0x28], key('data'), 'cos\nsystem\n', key(`touch ${marker}`), [0x85, 0x52, 0x75, 0x2e])
      )
    }, bad('data_batch_1: has no "data" array')))

  it('4 images but 3 labels', () =>
    corpusCase(() => {
      const batch = cifar10Batch(0, 4)
      batch.set(py2('labels'), [1, 2, 3])
      return cifarPickle('pickle-counts', pickle(batch))
    }, bad('data_batch_1: holds 4 images but 3 labels')))

  it('a data array of the wrong row length', () =>
    corpusCase(() => {
      const batch = cifar10Batch(0, 2)
      batch.set(py2('data'), new NumpyU8([2, 100], Buffer.alloc(200)))
      return cifarPickle('pickle-row', pickle(batch))
    }, bad('data_batch_1: has a "data" array of shape 2×100, but CIFAR batches are N×3072')))

  it('a class name that is a list nested 200,000 deep', () =>
    corpusCase(() => {
      const d = writeCifar10Py(dir('pickle-deep-name'))
      const depth = 200_000
      // {'label_names': [<list in a list in a list …>]}: lists pushed, then each appended into the one below.
      const nested = Buffer.concat([Buffer.alloc(depth, 0x5d), Buffer.alloc(depth - 1, 0x61)])
      fs.writeFileSync(
        path.join(d, 'batches.meta'),
        Buffer.concat([asm([0x80, 2, 0x7d], key('label_names'), [0x5d]), nested, asm([0x61, 0x73, 0x2e])])
      )
      return register(d)
    }, bad('batches.meta: label_names[0] is a list, not a class name')))

  it('a label that is a list nested 200,000 deep', () =>
    corpusCase(() => {
      const depth = 200_000
      const nested = Buffer.concat([Buffer.alloc(depth, 0x5d), Buffer.alloc(depth - 1, 0x61)])
      // {'data': <the real 1×3072 array>, 'labels': [<deep list>]}
      const data = pickle(new Map<unknown, unknown>([[py2('data'), new NumpyU8([1, 3072], Buffer.alloc(3072))]]))
      const body = data.subarray(0, data.length - 2) // up to SETITEMS and STOP
      return cifarPickle('pickle-deep-label', Buffer.concat([body, asm([0x75], key('labels'), [0x5d]), nested, asm([0x61, 0x73, 0x2e])]))
    }, bad('data_batch_1: labels[0] is a list, out of range 0–9')))

  it('a meta file without label names', () =>
    corpusCase(() => {
      const d = writeCifar10Py(dir('pickle-meta'))
      fs.writeFileSync(path.join(d, 'batches.meta'), pickle(new Map<unknown, unknown>([[py2('num_cases_per_batch'), 10000]])))
      return register(d)
    }, bad('batches.meta: has no "label_names" list')))
})

// ---- ImageFolder ----------------------------------------------------------------------------

/** A grayscale PNG whose header says `width`×`height`, holding `idat` as its (compressed) pixel data. */
function pngOf(width: number, height: number, idat: Buffer): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), 8 + data.length)
    return out
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0))
  ])
}

async function twoClasses(root: string): Promise<void> {
  for (const [cls, first] of [
    ['cat', 0],
    ['dog', 3]
  ] as const)
    for (let i = 0; i < 3; i++) await writeImage(path.join(root, cls, `${i}.png`), first + i, 4, 5, 1, 'png')
}

describe('ImageFolder', () => {
  it('random bytes under a .png name', () =>
    corpusCase(
      async () => {
        const root = dir('folder-corrupt')
        await twoClasses(root)
        fs.writeFileSync(path.join(root, 'dog', 'x.png'), Buffer.from('this is not an image at all'))
        return register(root)
      },
      bad(`${path.join('folder-corrupt', 'dog', 'x.png')}: cannot be decoded as an image`)
    ))

  it('a zero-byte JPEG', () =>
    corpusCase(
      async () => {
        const root = dir('folder-empty-jpeg')
        await twoClasses(root)
        fs.writeFileSync(path.join(root, 'cat', 'z.jpg'), '')
        return register(root)
      },
      bad(`${path.join('folder-empty-jpeg', 'cat', 'z.jpg')}: cannot be decoded as an image`)
    ))

  it('a PNG whose header claims 60000×60000 pixels', () =>
    corpusCase(
      async () => {
        const root = dir('folder-png-bomb')
        await twoClasses(root)
        // A valid header and a few bytes of data: the header alone must stop it.
        fs.writeFileSync(path.join(root, 'cat', 'huge.png'), pngOf(60_000, 60_000, zlib.deflateSync(Buffer.alloc(100))))
        return register(root)
      },
      bad(`${path.join('folder-png-bomb', 'cat', 'huge.png')}: cannot be decoded as an image: it has more than 50,000,000 pixels`)
    ))

  it('a BMP whose header claims 60000×60000 pixels', () =>
    corpusCase(
      async () => {
        const root = dir('folder-bmp-bomb')
        await twoClasses(root)
        const bmp = Buffer.alloc(54)
        bmp.write('BM', 0, 'latin1')
        bmp.writeUInt32LE(54, 10)
        bmp.writeUInt32LE(40, 14)
        bmp.writeInt32LE(60_000, 18)
        bmp.writeInt32LE(60_000, 22)
        bmp.writeUInt16LE(1, 26)
        bmp.writeUInt16LE(24, 28)
        fs.writeFileSync(path.join(root, 'dog', 'huge.bmp'), bmp)
        return register(root)
      },
      bad(`${path.join('folder-bmp-bomb', 'dog', 'huge.bmp')}: cannot be decoded as an image: it has more than 50,000,000 pixels`)
    ))

  it('images of 5000×5000, over the 4,096-pixel side', () =>
    corpusCase(async () => {
      const root = dir('folder-big-images')
      const idat = zlib.deflateSync(Buffer.alloc(5001 * 5000))
      for (const cls of ['cat', 'dog']) {
        fs.mkdirSync(path.join(root, cls))
        fs.writeFileSync(path.join(root, cls, 'big.png'), pngOf(5000, 5000, idat))
      }
      return register(root)
    }, bad('folder-big-images: most of its images are 5000×5000 pixels; AdvLab trains on images of at most 4,096 pixels a side')))

  it('an empty class folder', () =>
    corpusCase(
      async () => {
        const root = dir('folder-empty-class')
        await twoClasses(root)
        fs.mkdirSync(path.join(root, 'eel'))
        return register(root)
      },
      bad(`${path.join('folder-empty-class', 'eel')}: is an empty class folder`)
    ))

  it('a test class the train split does not have', () =>
    corpusCase(
      async () => {
        const root = dir('folder-test-class')
        await twoClasses(path.join(root, 'train'))
        await writeImage(path.join(root, 'test', 'cat', 't.png'), 9, 4, 5, 1, 'png')
        await writeImage(path.join(root, 'test', 'emu', 't.png'), 10, 4, 5, 1, 'png')
        return register(root)
      },
      bad(`${path.join('folder-test-class', 'test', 'emu')}: is a class the train split does not have`)
    ))

  it('class folders that are links leading out of the dataset', () =>
    corpusCase(
      async () => {
        const outside = dir('folder-outside-target')
        await twoClasses(outside)
        const root = dir('folder-links-out')
        fs.symlinkSync(path.join(outside, 'cat'), path.join(root, 'cat'))
        fs.symlinkSync(path.join(outside, 'dog'), path.join(root, 'dog'))
        return register(root)
      },
      bad('folder-links-out: has no class folders (2 symbolic links were skipped', 'cat (points outside the dataset folder, to ')
    ))

  it('a symlink loop cat/loop -> .. is skipped, with a warning', () =>
    corpusCase(async () => {
      const root = dir('folder-loop')
      await twoClasses(root)
      fs.symlinkSync('..', path.join(root, 'cat', 'loop'))
      return register(root)
    }, 'accepted with a warning'))

  it('a single class registers with a warning', () =>
    corpusCase(async () => {
      const root = dir('folder-one-class')
      for (let i = 0; i < 3; i++) await writeImage(path.join(root, 'cat', `${i}.png`), i, 4, 5, 1, 'png')
      return register(root)
    }, 'accepted with a warning'))
})

// ---- paths ----------------------------------------------------------------------------------

describe('dataset paths', () => {
  it('a path that does not exist', () =>
    corpusCase(() => register(path.join(c.inputsDir, 'nowhere')), bad(`${path.join(c.inputsDir, 'nowhere')}: does not exist`)))

  it('an archive instead of a folder', () =>
    corpusCase(
      () => {
        const file = path.join(dir('path-archive'), 'cifar-10-binary.tar.gz')
        fs.writeFileSync(file, zlib.gzipSync('not really a tar'))
        return register(file)
      },
      bad('cifar-10-binary.tar.gz: is a file, but a dataset folder was expected', 'extract it first')
    ))

  it('a folder holding no dataset', () =>
    corpusCase(() => {
      const d = dir('path-nothing')
      fs.writeFileSync(path.join(d, 'readme.txt'), 'hello')
      return register(d)
    }, bad('path-nothing: holds no dataset AdvLab recognises')))

  it('a named pipe where the IDX images file should be (opening it would wait forever)', { timeout: 10_000 }, () =>
    corpusCase(() => {
      const d = idx('path-fifo')
      fs.rmSync(d.trainImages)
      execFileSync('mkfifo', [d.trainImages])
      return register(d.dir)
    }, bad('train-images-idx3-ubyte: is not a regular file'))
  )

  it('a named pipe as a CIFAR class-name list', { timeout: 10_000 }, () =>
    corpusCase(() => {
      const d = writeCifar10Bin(dir('path-fifo-meta'))
      fs.rmSync(path.join(d, 'batches.meta.txt'))
      execFileSync('mkfifo', [path.join(d, 'batches.meta.txt')])
      return register(d)
    }, bad('batches.meta.txt: is not a regular file'))
  )

  it('a folder that is a link to itself', () =>
    corpusCase(() => {
      const link = path.join(dir('path-self-link'), 'me')
      fs.symlinkSync(link, link)
      return register(link)
    }, bad('me: is a symbolic link that loops')))

  it('a path with a NUL byte', () => corpusCase(() => register(`${c.inputsDir}/x\0y`), { code: 'bad_input', says: ['x'] }))
})

// ---- config files, as `lab train | distill | sweep <file>` reads them -------------------------

/**
 * A config case: writes `text` as configs/<name> now (before the snapshot), and returns the act of
 * `lab <command> configs/<name>`: read the file, send `method` with what it holds.
 */
const cli = (method: string, name: string, text: string | Buffer) => {
  const file = c.input(path.join('configs', name), text)
  return () => viaCli(method, file)
}
const BOM = '\ufeff'
const trainYaml = (extra: string) => `dataset: tiny\nmodel: { arch: mlp }\nepochs: 1\n${extra}\n`
const invalid = (field: string, ...says: Array<string | RegExp>): Expectation => ({
  code: 'invalid_params',
  says: [`field "${field}"`, ...says],
  field
})
const fileError = (...says: Array<string | RegExp>): Expectation => ({ code: 'bad_input', says })
const STUDENT = 'student: { dataset: tiny, model: { arch: mlp }, epochs: 1 }\n'

describe('config files', () => {
  it('JSON with a byte-order mark and an unknown field', () =>
    corpusCase(() => cli('train.start', 'bom-unknown.json', `${BOM}{"dataset":"tiny","model":{"arch":"mlp"},"epochs":1,"colour":"red"}`), {
      code: 'invalid_params',
      says: ['colour']
    }))

  it('YAML with a byte-order mark and epochs: ten', () =>
    corpusCase(() => cli('train.start', 'bom-type.yaml', `${BOM}dataset: tiny\nmodel: { arch: mlp }\nepochs: ten\n`), invalid('epochs')))

  it('YAML nested 10,000 levels deep in flow style', () =>
    corpusCase(
      () => cli('train.start', 'deep-flow.yaml', `model: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
      fileError('deep-flow.yaml is nested deeper than 32 levels')
    ))

  it('YAML nested 3,000 levels deep by indentation', () =>
    corpusCase(
      () => cli('train.start', 'deep-block.yaml', Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + '\n'),
      fileError('deep-block.yaml is nested deeper than 32 levels')
    ))

  it('YAML nested by 5,000 item markers on one line', () =>
    corpusCase(
      () => cli('train.start', 'deep-dashes.yaml', `model:\n  ${'- '.repeat(5_000)}x\n`),
      fileError('deep-dashes.yaml is nested deeper than 32 levels')
    ))

  it('JSON nested 100,000 levels deep', () =>
    corpusCase(
      () => cli('train.start', 'deep.json', `{"model": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`),
      fileError('deep.json is nested deeper than 32 levels')
    ))

  it('a list at the top level', () =>
    corpusCase(
      () => cli('train.start', 'list.yaml', '- dataset: tiny\n- epochs: 1\n'),
      fileError('list.yaml is not valid YAML: the top level must be an object of settings')
    ))

  it('an empty file', () =>
    corpusCase(() => cli('train.start', 'empty.yaml', ''), fileError('empty.yaml is not valid YAML: the top level must be an object')))

  it('an unclosed quote', () =>
    corpusCase(() => cli('train.start', 'quote.yaml', 'dataset: "tiny\nepochs: 1\n'), fileError('quote.yaml is not valid YAML')))

  it('a trailing comma in JSON', () =>
    corpusCase(() => cli('train.start', 'comma.json', '{"dataset": "tiny",}'), fileError('comma.json is not valid JSON')))

  it('YAML in a .json file', () =>
    corpusCase(() => cli('train.start', 'yaml-body.json', trainYaml('')), fileError('yaml-body.json is not valid JSON')))

  it('a key given twice', () =>
    corpusCase(() => cli('train.start', 'twice.yaml', trainYaml('epochs: 2')), fileError('twice.yaml is not valid YAML', 'unique')))

  it('an alias inside its own anchor', () =>
    corpusCase(
      () => cli('train.start', 'alias-loop.yaml', 'dataset: tiny\nmodel: &m\n  arch: mlp\n  again: *m\nepochs: 1\n'),
      fileError('alias-loop.yaml refers to itself')
    ))

  it('a billion-laughs alias expansion', () =>
    corpusCase(() => {
      const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
      for (let i = 1; i < 10; i++)
        lines.push(
          `a${i}: &a${i} [${Array(9)
            .fill(`*a${i - 1}`)
            .join(', ')}]`
        )
      return cli('train.start', 'laughs.yaml', lines.join('\n') + '\n')
    }, fileError('laughs.yaml is not valid YAML')))

  it('binary garbage under a .yaml name', () =>
    corpusCase(
      () => cli('train.start', 'garbage.yaml', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) & 0xff))),
      fileError('garbage.yaml is not valid YAML')
    ))

  it('a config path that is a folder', () =>
    corpusCase(() => {
      const folder = dir('configs/a-folder.yaml')
      return () => viaCli('train.start', folder)
    }, fileError('a-folder.yaml cannot be read (EISDIR)')))

  it('a config file that is a named pipe (reading it would block the CLI forever)', { timeout: 10_000 }, () =>
    corpusCase(() => {
      const file = path.join(dir('configs'), 'pipe.yaml')
      execFileSync('mkfifo', [file])
      return () => viaCli('train.start', file)
    }, fileError('pipe.yaml is not a regular file'))
  )

  it('a config file that does not exist', () =>
    corpusCase(
      () => () => viaCli('train.start', path.join(c.inputsDir, 'configs', 'missing.yaml')),
      fileError('missing.yaml does not exist')
    ))

  it('epochs: 1e308', () =>
    corpusCase(() => cli('train.start', 'huge.yaml', 'dataset: tiny\nmodel: { arch: mlp }\nepochs: 1e308\n'), invalid('epochs')))

  it('lr: .nan', () =>
    corpusCase(() => cli('train.start', 'nan.yaml', trainYaml('optimizer: { kind: sgd, lr: .nan }')), invalid('optimizer.lr')))

  it('lr: .inf', () =>
    corpusCase(() => cli('train.start', 'inf.yaml', trainYaml('optimizer: { kind: sgd, lr: .inf }')), invalid('optimizer.lr')))

  it('batchSize: -5', () =>
    corpusCase(
      () => cli('train.start', 'negative.json', '{"dataset":"tiny","model":{"arch":"mlp"},"epochs":1,"batchSize":-5}'),
      invalid('batchSize')
    ))

  it('a seed beyond 2^53', () => corpusCase(() => cli('train.start', 'seed.yaml', trainYaml('seed: 9007199254740993')), invalid('seed')))

  it('a dataset that is not registered', () =>
    corpusCase(() => cli('train.start', 'no-dataset.yaml', 'dataset: no-such-dataset\nmodel: { arch: mlp }\nepochs: 1\n'), {
      code: 'not_found',
      says: ['no-such-dataset'],
      field: 'dataset'
    }))

  it('an architecture that does not exist', () =>
    corpusCase(() => cli('train.start', 'arch.yaml', 'dataset: tiny\nmodel: { arch: resnet9000 }\nepochs: 1\n'), invalid('model.arch')))

  it('a __proto__ key', () =>
    corpusCase(() => cli('train.start', 'proto.json', '{"dataset":"tiny","model":{"arch":"mlp"},"epochs":1,"__proto__":{"epochs":5}}'), {
      code: 'invalid_params',
      says: ['__proto__']
    }))

  it('a model that is a string', () =>
    corpusCase(() => cli('train.start', 'model-string.yaml', 'dataset: tiny\nmodel: mlp\nepochs: 1\n'), invalid('model')))

  it('distill: temperature -1', () =>
    corpusCase(() => cli('distill.start', 'distill-t.yaml', `temperature: -1\nteacherRunId: 1\n${STUDENT}`), invalid('temperature')))

  it('distill: alpha 2', () =>
    corpusCase(() => cli('distill.start', 'distill-alpha.yaml', `alpha: 2\nteacherRunId: 1\n${STUDENT}`), invalid('alpha')))

  it('distill: neither a teacher run nor a teacher config', () =>
    corpusCase(() => cli('distill.start', 'distill-none.yaml', STUDENT), invalid('teacherRunId', 'give either teacherRunId')))

  it('distill: a teacher run that does not exist', () =>
    corpusCase(() => cli('distill.start', 'distill-missing.yaml', `teacherRunId: 99999\n${STUDENT}`), {
      code: 'not_found',
      says: ['99999']
    }))

  it('sweep: no epsilons', () =>
    corpusCase(() => cli('sweep.start', 'sweep-eps.yaml', 'runIds: [1]\nattacks: [{ attack: fgsm }]\nepsilons: []\n'), invalid('epsilons')))

  it('sweep: an epsilon that is not a number', () =>
    corpusCase(
      () => cli('sweep.start', 'sweep-eps-text.yaml', 'runIds: [1]\nattacks: [{ attack: fgsm }]\nepsilons: [lots]\n'),
      invalid('epsilons.0')
    ))

  it('sweep: a norm that does not exist', () =>
    corpusCase(
      () => cli('sweep.start', 'sweep-norm.yaml', 'runIds: [1]\nattacks: [{ attack: fgsm }]\nnorm: L3\nepsilons: [0.1]\n'),
      invalid('norm')
    ))

  it('sweep: a run that does not exist', () =>
    corpusCase(() => cli('sweep.start', 'sweep-run.json', '{"runIds":[99999],"attacks":[{"attack":"fgsm"}],"epsilons":[0.1]}'), {
      code: 'not_found',
      says: ['99999']
    }))

  it('sweep: an attack that does not exist', () =>
    corpusCase(
      () => cli('sweep.start', 'sweep-attack.yaml', `runIds: [${noTestModel}]\nattacks: [{ attack: telepathy }]\nepsilons: [0.1]\n`),
      { code: 'bad_input', says: ['telepathy'], field: 'attacks.0.attack' }
    ))

  it('sweep: a model whose dataset has no test images is refused at launch', () =>
    corpusCase(() => cli('sweep.start', 'sweep-no-test.yaml', `runIds: [${noTestModel}]\nattacks: [{ attack: fgsm }]\nepsilons: [0.1]\n`), {
      code: 'bad_input',
      says: ['Dataset "train only"', 'has no test images'],
      field: 'runIds'
    }))
})
