/**
 * ImageFolder, torchvision's layout: root/<class>/(any subfolders)/<image>.png, .jpg, .jpeg, .bmp or .webp;
 * sorted folder names, hidden files and folders ignored. A root holding `train/` and `test/`
 * (or `val/`) folders, each laid out that way, gives two splits; otherwise everything is `train`.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  imagesPerChunk,
  type DatasetFormatModule,
  type DatasetSource,
  type ImageShape,
  type OpenOptions,
  type SplitName,
  type SplitSource
} from './source'
import { decodeImage, IMAGE_EXTENSIONS, probeImage } from './image-decode'
import { badFile, count, fileSystemError } from './errors'
import { byCodePoint, listSubfolders } from './files'
import { WARNING_PREFIX } from './warnings'

const TEST_FOLDERS = ['test', 'val', 'valid', 'validation']
/** Images decoded at once: enough to keep libvips' threads busy. */
const PARALLEL = 8
const CHUNK = 256
/** The largest image side a dataset may have, as for IDX: models train on the common size. */
const MAX_SIDE = 4096

interface Sample {
  file: string
  label: number
}

/**
 * What one walk of a dataset has seen. Symbolic links are followed only when their real path is
 * inside the dataset root, has not been read yet, and does not lie in another class's folder:
 * otherwise a loop (`cat/loop -> ..`) reads the whole tree again under the wrong label, a link
 * leaves the folder the user chose, or a test image leaks into training.
 */
interface Walk {
  /** Real path of the dataset root. */
  root: string
  /** Real paths of every folder and image read so far (and of every class folder, up front). */
  visited: Set<string>
  /** Real path → name (relative to the root) of every class folder, in every split. */
  classDirs: Map<string, string>
  /** "cat/loop (leads back to a folder already read)": shown to the user as one warning. */
  skipped: string[]
}

const isInside = (parent: string, child: string) => {
  const rel = path.relative(parent, child)
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel))
}

/** Why the link at `full` (real path `real`, or null when it dangles) is not followed; null to follow it. */
function refuseLink(walk: Walk, real: string | null, classReal: string): string | null {
  if (real === null) return 'broken or looping link'
  if (!isInside(walk.root, real)) return `points outside the dataset folder, to ${real}`
  if (walk.visited.has(real)) return 'leads back to a folder already read'
  for (const [dir, name] of walk.classDirs) if (dir !== classReal && isInside(dir, real)) return `points into the class folder ${name}`
  return null
}

async function walkImages(walk: Walk, dir: string, realDir: string, classReal: string): Promise<string[]> {
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
    let real = path.join(realDir, entry.name)
    let isDir = entry.isDirectory()
    let isFile = entry.isFile()
    if (entry.isSymbolicLink()) {
      const target = await fs.promises.realpath(full).catch(() => null)
      const stats = target ? await fs.promises.stat(target).catch(() => null) : null
      isDir = !!stats?.isDirectory()
      isFile = !!stats?.isFile()
      // Links to files that are not images are ignored like any other non-image, without a warning.
      if (!isDir && !(isFile && IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()))) continue
      const refusal = refuseLink(walk, target, classReal)
      if (refusal) {
        walk.skipped.push(`${path.relative(walk.root, path.join(realDir, entry.name))} (${refusal})`)
        continue
      }
      real = target!
    } else if (walk.visited.has(real)) continue // already read through a link: once is enough
    if (isDir) {
      walk.visited.add(real)
      files.push(...(await walkImages(walk, full, real, classReal)))
    } else if (isFile && IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      walk.visited.add(real)
      files.push(full)
    }
  }
  return files
}

/** The class folders of a split whose real paths stay inside the root and are distinct. */
async function classFolders(walk: Walk, splitRoot: string): Promise<Array<{ name: string; dir: string; real: string }>> {
  const folders: Array<{ name: string; dir: string; real: string }> = []
  for (const name of await listSubfolders(splitRoot)) {
    const dir = path.join(splitRoot, name)
    const real = await fs.promises.realpath(dir).catch(() => null)
    const rel = path.relative(walk.root, path.join(await fs.promises.realpath(splitRoot), name))
    if (real === null) walk.skipped.push(`${rel} (broken or looping link)`)
    else if (!isInside(walk.root, real)) walk.skipped.push(`${rel} (points outside the dataset folder, to ${real})`)
    else if (walk.classDirs.has(real) || walk.visited.has(real)) walk.skipped.push(`${rel} (leads back to a folder already read)`)
    else {
      walk.classDirs.set(real, path.relative(walk.root, real) || '.')
      folders.push({ name, dir, real })
    }
  }
  return folders
}

async function collectSamples(
  walk: Walk,
  splitRoot: string,
  folders: Array<{ name: string; dir: string; real: string }>,
  classes: string[] | null
): Promise<{ classes: string[]; samples: Sample[] }> {
  if (folders.length === 0) {
    const links = walk.skipped.length > 0 ? ` (${skippedLinksWarning(walk.skipped)!.slice(WARNING_PREFIX.length)})` : ''
    throw badFile(
      splitRoot,
      `has no class folders${links}`,
      'Put the images of each class in a folder named after the class (root/<class>/image.png).'
    )
  }
  const classList = classes ?? folders.map((f) => f.name)
  const samples: Sample[] = []
  for (const folder of folders) {
    const label = classList.indexOf(folder.name)
    if (label < 0)
      throw badFile(
        folder.dir,
        `is a class the train split does not have (train classes: ${classList.join(', ')})`,
        'Use the same class folders in train and test.'
      )
    walk.visited.add(folder.real)
    const files = await walkImages(walk, folder.dir, folder.real, folder.real)
    if (files.length === 0)
      throw badFile(
        folder.dir,
        `is an empty class folder (no ${IMAGE_EXTENSIONS.join(', ')} images)`,
        'Add images to it or remove the folder.'
      )
    for (const file of files) samples.push({ file, label })
  }
  return { classes: classList, samples }
}

function skippedLinksWarning(skipped: string[]): string | null {
  if (skipped.length === 0) return null
  const shown = skipped.slice(0, 5).join('; ') + (skipped.length > 5 ? `; and ${count(skipped.length - 5)} more` : '')
  const what = skipped.length === 1 ? '1 symbolic link was' : `${count(skipped.length)} symbolic links were`
  return `${WARNING_PREFIX}${what} skipped, so no image is read twice or from outside the dataset folder: ${shown}. Replace links with copies if those images belong here.`
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
    notes.push(
      `${WARNING_PREFIX}${count(probes.length - commonCount)} of ${count(probes.length)} images are not ${height}×${width}; they are centre-cropped and resized to it.`
    )
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
      const perChunk = imagesPerChunk(imageBytes, CHUNK)
      for (let start = 0; start < samples.length; start += perChunk) {
        const k = Math.min(perChunk, samples.length - start)
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
    const root = await fs.promises.realpath(dir).catch((error) => {
      throw fileSystemError(error, dir)
    })
    const walk: Walk = { root, visited: new Set([root]), classDirs: new Map(), skipped: [] }
    // Every split root and class folder is known before any is walked, so a link into one is refused
    // whichever comes first in the walk.
    const trainRoot = splitLayout ? path.join(dir, 'train') : dir
    const testRoot = splitLayout ? path.join(dir, testFolder) : null
    for (const splitRoot of [trainRoot, testRoot]) if (splitRoot) walk.visited.add(await fs.promises.realpath(splitRoot))
    const trainFolders = await classFolders(walk, trainRoot)
    const testFolders = testRoot ? await classFolders(walk, testRoot) : []
    const train = await collectSamples(walk, trainRoot, trainFolders, null)
    const test = testRoot ? await collectSamples(walk, testRoot, testFolders, train.classes) : null
    const linkWarning = skippedLinksWarning(walk.skipped)
    if (linkWarning) notes.push(linkWarning)
    if (splitLayout && testFolder !== 'test') notes.push(`The ${testFolder}/ folder is used as the test split.`)
    const all = test ? [...train.samples, ...test.samples] : train.samples
    const shape = options.shape ?? (await surveyShape(all, notes))
    if (shape.height > MAX_SIDE || shape.width > MAX_SIDE)
      throw badFile(
        dir,
        `most of its images are ${shape.height}×${shape.width} pixels; AdvLab trains on images of at most ${count(MAX_SIDE)} pixels a side`,
        'Resize the images to the size you train at (e.g. 224×224) and register the resized folder.'
      )
    const splits = [imageSplit('train', train.samples, shape)]
    if (test) splits.push(imageSplit('test', test.samples, shape))
    return { format: 'imagefolder', root: dir, shape, classes: train.classes, splits, suggestedName: path.basename(dir), notes }
  }
}
