/**
 * CIFAR-10 binary version (`cifar-10-batches-bin`): data_batch_1..5.bin and test_batch.bin of
 * 3,073-byte records (label, then 3×32×32 CHW), class names in batches.meta.txt.
 * Krizhevsky (2009), https://www.cs.toronto.edu/~kriz/cifar.html
 */
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource } from './source'
import { byBatchNumber, CIFAR_SIDE, openRecordSplit, type RecordLayout } from './cifar-records'
import { listFolder, readNameList } from './files'
import { badFile } from './errors'
import { CIFAR10_CLASSES } from './class-names'

const TRAIN = /^data_batch_\d+\.bin$/
const TEST = 'test_batch.bin'
const META = 'batches.meta.txt'

export const cifar10BinFormat: DatasetFormatModule = {
  format: 'cifar10-bin',
  title: 'CIFAR-10 binary',
  looksLike: (_dir, entries) => entries.some((name) => TRAIN.test(name)),
  async open(dir): Promise<DatasetSource> {
    const entries = await listFolder(dir)
    const train = entries
      .filter((name) => TRAIN.test(name))
      .sort(byBatchNumber)
      .map((name) => path.join(dir, name))
    if (train.length === 0) throw badFile(dir, 'has no data_batch_N.bin files', 'Point AdvLab at the cifar-10-batches-bin folder.')
    const notes: string[] = []
    let classes = CIFAR10_CLASSES
    if (entries.includes(META)) classes = await readNameList(path.join(dir, META))
    else notes.push(`No ${META} in the folder: the standard CIFAR-10 class names are used.`)
    if (classes.length === 0) throw badFile(path.join(dir, META), 'lists no class names', 'Put one class name per line in it.')
    const layout: RecordLayout = {
      labelBytes: 1,
      classByte: 0,
      classCount: classes.length,
      labelRanges: [{ name: 'label', count: classes.length }],
      classTodo: `Fix the file, or list every class name in ${META}, one per line.`
    }
    const splits = [await openRecordSplit('train', train, layout)]
    if (entries.includes(TEST)) splits.push(await openRecordSplit('test', [path.join(dir, TEST)], layout))
    else notes.push(`No ${TEST} in the folder: the dataset has no test split.`)
    return {
      format: 'cifar10-bin',
      root: dir,
      shape: { height: CIFAR_SIDE, width: CIFAR_SIDE, channels: 3 },
      classes,
      splits,
      suggestedName: 'CIFAR-10',
      notes
    }
  }
}
