/**
 * IDX files (LeCun's MNIST format, also Fashion-MNIST, KMNIST, EMNIST): a big-endian header
 * `00 00 <type> <ndims>` followed by ndims 32-bit sizes, then the data row-major.
 * Both `train-images-idx3-ubyte` and `train-images.idx3-ubyte` spellings are accepted, plain or gzip.
 */
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource, SplitName, SplitSource } from './source'
import { imagesPerChunk } from './source'
import { isGzipFile, withReader, type ExactReader } from './byte-stream'
import { badFile, count } from './errors'
import { listFolder, readNameList, requireFile } from './files'
import { DIGIT_CLASSES, FASHION_MNIST_CLASSES } from './class-names'

const IDX_NAME = /^(?:(.*?)[-_.])?(train|t10k|test)[-_.](images|labels)[-_.]idx([13])[-_.]ubyte(\.gz)?$/i
const UNSIGNED_BYTE = 0x08
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double'
}
/** An IDX set has this many classes unless a classes.txt lists them. */
const DEFAULT_CLASS_COUNT = 10
/**
 * Hard caps on what one IDX file's header may declare. Headers are untrusted: a 6 MB gzip file can
 * declare 1024×4096×4096 images and inflate to gigabytes, so a header above these caps is refused
 * before a byte of data is read. 2 GiB of pixels holds EMNIST ByClass (814,255 × 28×28) three times
 * over, and the loader keeps a whole split in memory, so nothing real is turned away.
 */
export const MAX_IDX_PIXEL_BYTES = 2 ** 31
export const MAX_IDX_IMAGES = 10_000_000
const OVER_CAP_TODO =
  'The header is damaged or the file is not a dataset AdvLab can hold in memory; check the file, or split the data into smaller files.'

interface IdxFile {
  name: string
  prefix: string
  split: SplitName
  kind: 'images' | 'labels'
  gzName: boolean
}

function parseName(name: string): IdxFile | null {
  const m = IDX_NAME.exec(name)
  if (!m) return null
  const kind = m[3].toLowerCase() as 'images' | 'labels'
  if ((kind === 'images') !== (m[4] === '3')) return null
  return { name, prefix: (m[1] ?? '').toLowerCase(), split: m[2].toLowerCase() === 'train' ? 'train' : 'test', kind, gzName: !!m[5] }
}

interface IdxHeader {
  dims: number[]
  headerBytes: number
}

async function readHeader(reader: ExactReader, kind: 'images' | 'labels'): Promise<IdxHeader> {
  const file = reader.file
  const magic = await reader.take(4, 'the IDX header')
  const hex = [...magic].map((b) => b.toString(16).padStart(2, '0')).join(' ')
  const expectedDims = kind === 'images' ? '03' : '01'
  if (magic[0] !== 0 || magic[1] !== 0 || !(magic[2] in IDX_TYPES))
    throw badFile(
      file,
      `does not start with an IDX magic number (found ${hex}, expected 00 00 08 ${expectedDims})`,
      'Check that this is an IDX file, plain or gzip-compressed.'
    )
  if (magic[2] !== UNSIGNED_BYTE)
    throw badFile(
      file,
      `holds IDX values of type ${IDX_TYPES[magic[2]]} (0x${magic[2].toString(16).padStart(2, '0')}); AdvLab reads unsigned-byte IDX (0x08)`,
      'Convert the data to 8-bit values.'
    )
  const ndims = magic[3]
  const allowed = kind === 'images' ? [3, 4] : [1]
  if (!allowed.includes(ndims))
    throw badFile(
      file,
      `has ${ndims} dimensions, but an IDX ${kind} file has ${kind === 'images' ? '3 (count, rows, columns) or 4 (… channels)' : '1 (count)'}`,
      `Check that the ${kind} file is where AdvLab expects it.`
    )
  const sizes = await reader.take(4 * ndims, 'the IDX header')
  const dims = Array.from({ length: ndims }, (_, i) => sizes.readUInt32BE(4 * i))
  return { dims, headerBytes: 4 + 4 * ndims }
}

interface IdxPair {
  split: SplitName
  imagesFile: string
  labelsFile: string
}

async function findPairs(dir: string): Promise<IdxPair[]> {
  // Hidden names (macOS '._train-images…' shadows, editors' backups) are never data.
  const entries = (await listFolder(dir))
    .filter((name) => !name.startsWith('.'))
    .map(parseName)
    .filter((f): f is IdxFile => f !== null)
  const prefixes = [...new Set(entries.map((f) => f.prefix))]
  if (prefixes.length > 1)
    throw badFile(
      dir,
      `holds several IDX sets (${prefixes.map((p) => p || '(no prefix)').join(', ')})`,
      'Move each set into its own folder and register them one by one.'
    )
  const pick = (split: SplitName, kind: 'images' | 'labels') => {
    // torchvision keeps both the .gz and the extracted file; the plain one reads faster.
    const found = entries.filter((f) => f.split === split && f.kind === kind).sort((a, b) => Number(a.gzName) - Number(b.gzName))
    return found[0] ? path.join(dir, found[0].name) : null
  }
  const pairs: IdxPair[] = []
  for (const split of ['train', 'test'] as const) {
    const imagesFile = pick(split, 'images')
    const labelsFile = pick(split, 'labels')
    if (!imagesFile && !labelsFile) continue
    if (!imagesFile || !labelsFile) {
      const have = (imagesFile ?? labelsFile)!
      const missing = imagesFile ? 'labels (…-labels-idx1-ubyte)' : 'images (…-images-idx3-ubyte)'
      throw badFile(
        have,
        `has no matching ${split} ${missing} file next to it`,
        'Put the images and labels files of each split in the same folder.'
      )
    }
    pairs.push({ split, imagesFile, labelsFile })
  }
  if (!pairs.some((p) => p.split === 'train'))
    throw badFile(
      dir,
      'has no train-images-idx3-ubyte / train-labels-idx1-ubyte files',
      'Point AdvLab at the folder that holds the training files.'
    )
  return pairs
}

async function readAllLabels(file: string, classCount: number, classTodo: string): Promise<Int32Array> {
  await requireFile(file)
  return withReader(file, async (reader) => {
    const { dims } = await readHeader(reader, 'labels')
    const n = dims[0]
    if (n > MAX_IDX_IMAGES)
      throw badFile(
        file,
        `its header declares ${count(n)} labels; AdvLab reads at most ${count(MAX_IDX_IMAGES)} images from one IDX file`,
        OVER_CAP_TODO
      )
    const bytes = await reader.take(n, `the ${count(n)} labels its header promises`)
    if (!(await reader.atEnd()))
      throw badFile(file, `is longer than the ${count(n)} labels its header promises`, 'Copy or download the file again.')
    const labels = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const label = bytes[i]
      if (label >= classCount)
        throw badFile(file, `label ${label} of image ${i} is out of range 0–${classCount - 1} (${classCount} classes)`, classTodo)
      labels[i] = label
    }
    return labels
  })
}

async function openSplit(pair: IdxPair, classCount: number, classTodo: string) {
  const stats = await requireFile(pair.imagesFile)
  const header = await withReader(pair.imagesFile, (reader) => readHeader(reader, 'images'))
  const [n, height, width, channels = 1] = header.dims
  if (height < 1 || width < 1 || height > 4096 || width > 4096 || ![1, 3].includes(channels))
    throw badFile(
      pair.imagesFile,
      `has image size ${height}×${width}×${channels}; AdvLab reads 1 to 4,096 pixels a side with 1 or 3 channels`,
      'Check that this is an image file, not a labels file.'
    )
  if (n === 0) throw badFile(pair.imagesFile, 'holds no images (its header says 0)', 'Copy or download the file again.')
  const imageBytes = height * width * channels
  if (n > MAX_IDX_IMAGES)
    throw badFile(
      pair.imagesFile,
      `its header declares ${count(n)} images; AdvLab reads at most ${count(MAX_IDX_IMAGES)} images from one IDX file`,
      OVER_CAP_TODO
    )
  if (n * imageBytes > MAX_IDX_PIXEL_BYTES)
    throw badFile(
      pair.imagesFile,
      `its header declares ${count(n)} images of ${height}×${width}×${channels}, ${count(n * imageBytes)} bytes of pixels; AdvLab reads at most ${count(MAX_IDX_PIXEL_BYTES)} bytes (2 GiB) of pixels from one IDX file`,
      OVER_CAP_TODO
    )
  const expected = header.headerBytes + n * imageBytes
  const gzip = await isGzipFile(pair.imagesFile)
  if (!gzip && stats.size < expected)
    throw badFile(
      pair.imagesFile,
      `has ${count(stats.size)} bytes but its header promises ${count(expected)} (${count(n)} images of ${height}×${width}×${channels}): the file is truncated`,
      'Copy or download the file again.'
    )
  if (!gzip && stats.size > expected)
    throw badFile(
      pair.imagesFile,
      `has ${count(stats.size)} bytes, more than the ${count(expected)} its header promises (${count(n)} images of ${height}×${width}×${channels})`,
      'Copy or download the file again.'
    )
  const labels = await readAllLabels(pair.labelsFile, classCount, classTodo)
  if (labels.length !== n)
    throw badFile(
      pair.imagesFile,
      `holds ${count(n)} images but ${path.basename(pair.labelsFile)} holds ${count(labels.length)} labels`,
      'Use the images and labels files of the same download.'
    )

  const split: SplitSource = {
    name: pair.split,
    count: n,
    files: [pair.imagesFile, pair.labelsFile],
    readLabels: async () => labels,
    readImages: (onChunk) =>
      withReader(pair.imagesFile, async (reader) => {
        await reader.skip(header.headerBytes, 'the IDX header')
        const perChunk = imagesPerChunk(imageBytes)
        for (let start = 0; start < n; start += perChunk) {
          const k = Math.min(perChunk, n - start)
          const pixels = await reader.take(k * imageBytes, `image ${start + k - 1} of ${count(n)}`)
          onChunk({ start, count: k, pixels, labels: labels.subarray(start, start + k) })
        }
        if (!(await reader.atEnd()))
          throw badFile(pair.imagesFile, `is longer than the ${count(n)} images its header promises`, 'Copy or download the file again.')
      })
  }
  return { split, shape: { height, width, channels } }
}

export const idxFormat: DatasetFormatModule = {
  format: 'idx',
  title: 'IDX (MNIST-style)',
  looksLike: (_dir, entries) => entries.some((name) => parseName(name)?.kind === 'images'),
  async open(dir): Promise<DatasetSource> {
    const pairs = await findPairs(dir)
    const classesFile = path.join(dir, 'classes.txt')
    const entries = await listFolder(dir)
    let classes: string[]
    let classTodo: string
    const notes: string[] = []
    if (entries.includes('classes.txt')) {
      classes = await readNameList(classesFile)
      classTodo = `Fix the labels, or list all classes in ${classesFile}, one name per line.`
    } else {
      const fashion = /fashion/i.test(dir)
      classes = fashion ? FASHION_MNIST_CLASSES : DIGIT_CLASSES
      classTodo = `An IDX set has ${DEFAULT_CLASS_COUNT} classes unless a classes.txt next to it lists one class name per line; add one, or fix the labels.`
      notes.push(
        fashion
          ? 'Class names are those of Fashion-MNIST (the folder name says fashion).'
          : 'Class names are the digits 0–9 (no classes.txt in the folder).'
      )
    }
    const opened = []
    for (const pair of pairs) opened.push(await openSplit(pair, classes.length, classTodo))
    const shape = opened[0].shape
    for (const o of opened.slice(1)) {
      if (o.shape.height !== shape.height || o.shape.width !== shape.width || o.shape.channels !== shape.channels)
        throw badFile(
          o.split.files[0],
          `has images of ${o.shape.height}×${o.shape.width}×${o.shape.channels}, but the train images are ${shape.height}×${shape.width}×${shape.channels}`,
          'Use the train and test files of the same dataset.'
        )
    }
    const base = path.basename(dir)
    return {
      format: 'idx',
      root: dir,
      shape,
      classes,
      splits: opened.map((o) => o.split),
      suggestedName: /^raw$/i.test(base) ? path.basename(path.dirname(dir)) : base,
      notes
    }
  }
}
