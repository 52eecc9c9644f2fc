/**
 * ImageFolder, torchvision's layout: root/<class>/(any subfolders)/<image>.png, .jpg, .jpeg, .bmp or .webp;
 * sorted folder names, hidden files and folders ignored. A root holding `train/` and `test/`
 * (or `val/`) folders, each laid out that way, gives two splits; otherwise everything is `train`.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource, ImageShape, OpenOptions, SplitName, SplitSource } from './source'
import { decodeImage, IMAGE_EXTENSIONS, probeImage } from './image-decode'
import { badFile, count, fileSystemError } from './errors'
import { byCodePoint, listSubfolders } from './files'

const TEST_FOLDERS = ['test', 'val', 'valid', 'validation']
/** Images decoded at once: enough to keep libvips' threads busy. */
const PARALLEL = 8
const CHUNK = 256

interface Sample {
  file: string
  label: number
}

async function walkImages(dir: string): Promise<string[]> {
  let entries: fs.Dirent[]
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true })
  } catch (error) {
    throw fileSystemError(error, dir)
  }
  entries.sort((a, b) => byCodePoint(a.name, b.name))
  const files: string[] = []
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    let isDir = entry.isDirectory()
    let isFile = entry.isFile()
    if (entry.isSymbolicLink()) {
      const stats = await fs.promises.stat(full).catch(() => null)
      isDir = !!stats?.isDirectory()
      isFile = !!stats?.isFile()
    }
    if (isDir) files.push(...(await walkImages(full)))
    else if (isFile && IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) files.push(full)
  }
  return files
}

async function collectSamples(splitRoot: string, classes: string[] | null): Promise<{ classes: string[]; samples: Sample[] }> {
  const folders = await listSubfolders(splitRoot)
  if (folders.length === 0)
    throw badFile(splitRoot, 'has no class folders', 'Put the images of each class in a folder named after the class (root/<class>/image.png).')
  const classList = classes ?? folders
  const samples: Sample[] = []
  for (const folder of folders) {
    const label = classList.indexOf(folder)
    if (label < 0)
      throw badFile(path.join(splitRoot, folder), `is a class the train split does not have (train classes: ${classList.join(', ')})`, 'Use the same class folders in train and test.')
    const files = await walkImages(path.join(splitRoot, folder))
    if (files.length === 0)
      throw badFile(path.join(splitRoot, folder), `is an empty class folder (no ${IMAGE_EXTENSIONS.join(', ')} images)`, 'Add images to it or remove the folder.')
    for (const file of files) samples.push({ file, label })
  }
  return { classes: classList, samples }
}

async function mapParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i], i)
    }
  })
  await Promise.all(runners)
  return results
}

/** The size most images have, and 3 channels if any image is in colour. */
async function surveyShape(samples: Sample[], notes: string[]): Promise<ImageShape> {
  const probes = await mapParallel(samples, PARALLEL * 2, (s) => probeImage(s.file))
  const sizes = new Map<string, number>()
  for (const p of probes) sizes.set(`${p.height}×${p.width}`, (sizes.get(`${p.height}×${p.width}`) ?? 0) + 1)
  const [common, commonCount] = [...sizes].sort((a, b) => b[1] - a[1])[0]
  const [height, width] = common.split('×').map(Number)
  const colour = probes.some((p) => p.colour)
  if (commonCount < probes.length)
    notes.push(`${count(probes.length - commonCount)} of ${count(probes.length)} images are not ${height}×${width}; they are centre-cropped and resized to it.`)
  if (colour && probes.some((p) => !p.colour)) notes.push('Grayscale images are converted to RGB, because the others are in colour.')
  return { height, width, channels: colour ? 3 : 1 }
}

function imageSplit(name: SplitName, samples: Sample[], shape: ImageShape): SplitSource {
  const imageBytes = shape.height * shape.width * shape.channels
  const labels = Int32Array.from(samples, (s) => s.label)
  return {
    name,
    count: samples.length,
    files: samples.map((s) => s.file),
    readLabels: async () => labels,
    async readImages(onChunk, wanted) {
      for (let start = 0; start < samples.length; start += CHUNK) {
        const k = Math.min(CHUNK, samples.length - start)
        const pixels = new Uint8Array(k * imageBytes)
        const indices = Array.from({ length: k }, (_, i) => start + i).filter((i) => !wanted || wanted[i])
        await mapParallel(indices, PARALLEL, async (i) => pixels.set(await decodeImage(samples[i].file, shape), (i - start) * imageBytes))
        onChunk({ start, count: k, pixels, labels: labels.subarray(start, start + k) })
      }
    }
  }
}

export const imageFolderFormat: DatasetFormatModule = {
  format: 'imagefolder',
  title: 'ImageFolder (one folder per class)',
  // The fallback: any folder of folders. Detection tries it last.
  looksLike: () => true,
  async open(dir, options: OpenOptions = {}): Promise<DatasetSource> {
    const top = await listSubfolders(dir)
    const testFolder = TEST_FOLDERS.find((name) => top.includes(name))
    const splitLayout = top.includes('train') && testFolder !== undefined
    const notes: string[] = []
    const train = await collectSamples(splitLayout ? path.join(dir, 'train') : dir, null)
    const test = splitLayout ? await collectSamples(path.join(dir, testFolder), train.classes) : null
    if (splitLayout && testFolder !== 'test') notes.push(`The ${testFolder}/ folder is used as the test split.`)
    const all = test ? [...train.samples, ...test.samples] : train.samples
    const shape = options.shape ?? (await surveyShape(all, notes))
    const splits = [imageSplit('train', train.samples, shape)]
    if (test) splits.push(imageSplit('test', test.samples, shape))
    return { format: 'imagefolder', root: dir, shape, classes: train.classes, splits, suggestedName: path.basename(dir), notes }
  }
}

