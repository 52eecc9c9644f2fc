/**
 * Which format is this folder? Each format recognises its own file names (cheaply); the first that
 * does opens the folder, which checks every header. ImageFolder is the fallback for any folder of
 * folders. One level down is searched too, so pointing at e.g. `MNIST/` finds `MNIST/raw/`.
 */
import path from 'node:path'
import type { DatasetFormat } from '../../api/datasets'
import type { DatasetFormatModule, DatasetSource, OpenOptions } from './source'
import { idxFormat } from './idx'
import { cifar10BinFormat } from './cifar10-bin'
import { cifar100BinFormat } from './cifar100-bin'
import { cifar10PyFormat } from './cifar10-py'
import { cifar100PyFormat } from './cifar100-py'
import { imageFolderFormat } from './image-folder'
import { badFile, count } from './errors'
import { listFolder, listSubfolders, requireFolder } from './files'

/** Most specific first; ImageFolder last because it accepts any folder of folders. */
export const FORMAT_MODULES: readonly DatasetFormatModule[] = [
  cifar100BinFormat,
  cifar10BinFormat,
  cifar10PyFormat,
  cifar100PyFormat,
  idxFormat,
  imageFolderFormat
]

export function formatModule(format: DatasetFormat): DatasetFormatModule {
  const found = FORMAT_MODULES.find((m) => m.format === format)
  if (!found) throw new Error(`No reader for dataset format ${format}`)
  return found
}

const specific = FORMAT_MODULES.filter((m) => m.format !== 'imagefolder')

/** Opens `dir` as `format`, or as whatever format it is recognised as. */
export async function openDataset(input: string, format?: DatasetFormat, options?: OpenOptions): Promise<DatasetSource> {
  const dir = path.resolve(input)
  await requireFolder(dir)
  if (format) return formatModule(format).open(dir, options)
  const entries = await listFolder(dir)
  const here = specific.find((m) => m.looksLike(dir, entries))
  if (here) return here.open(dir, options)

  const subfolders = await listSubfolders(dir)
  const below: Array<{ dir: string; module: DatasetFormatModule }> = []
  for (const name of subfolders) {
    const sub = path.join(dir, name)
    const subEntries = await listFolder(sub).catch(() => [])
    const module = specific.find((m) => m.looksLike(sub, subEntries))
    if (module) below.push({ dir: sub, module })
  }
  if (below.length === 1) return below[0].module.open(below[0].dir, options)
  if (below.length > 1)
    throw badFile(
      dir,
      `holds several datasets (${below.map((b) => `${path.basename(b.dir)}: ${b.module.title}`).join('; ')})`,
      'Point AdvLab at one of those folders.'
    )
  if (subfolders.length > 0) return imageFolderFormat.open(dir, options)
  throw badFile(
    dir,
    'holds no dataset AdvLab recognises',
    'Expected IDX files (train-images-idx3-ubyte…), CIFAR batches (data_batch_1.bin, data_batch_1, train.bin…), or one folder of images per class.'
  )
}

export function describeSource(source: DatasetSource): string {
  const title = formatModule(source.format).title
  const { height, width, channels } = source.shape
  const splits = source.splits.map((s) => `${s.name} ${count(s.count)}`).join(' and ')
  return `${title} in ${source.root}: ${splits} images of ${height}×${width}×${channels}, ${source.classes.length} classes.`
}
