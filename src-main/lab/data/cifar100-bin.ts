/**
 * CIFAR-100 binary version (`cifar-100-binary`): train.bin and test.bin of 3,074-byte records
 * (coarse label, fine label, then 3×32×32 CHW); names in fine_label_names.txt and
 * coarse_label_names.txt. The fine label (100 classes) is the class; the coarse one is kept as info.
 * A separate, explicit format: its records differ from CIFAR-10's by one byte.
 */
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource } from './source'
import { CIFAR_SIDE, openRecordSplit, type RecordLayout } from './cifar-records'
import { listFolder, readNameList } from './files'
import { badFile } from './errors'

const FINE = 'fine_label_names.txt'
const COARSE = 'coarse_label_names.txt'

export const cifar100BinFormat: DatasetFormatModule = {
  format: 'cifar100-bin',
  title: 'CIFAR-100 binary',
  looksLike: (_dir, entries) => entries.includes('train.bin') && (entries.includes(FINE) || entries.includes('test.bin')),
  async open(dir): Promise<DatasetSource> {
    const entries = await listFolder(dir)
    for (const needed of [FINE, COARSE])
      if (!entries.includes(needed))
        throw badFile(
          path.join(dir, needed),
          'does not exist',
          'CIFAR-100 binary needs its label-name files next to train.bin; extract the whole archive.'
        )
    const classes = await readNameList(path.join(dir, FINE))
    const coarseClasses = await readNameList(path.join(dir, COARSE))
    if (classes.length === 0) throw badFile(path.join(dir, FINE), 'lists no class names', 'Put one class name per line in it.')
    const layout: RecordLayout = {
      labelBytes: 2,
      classByte: 1,
      classCount: classes.length,
      labelRanges: [
        { name: 'coarse label', count: coarseClasses.length },
        { name: 'fine label', count: classes.length }
      ],
      classTodo: `Fix the file, or check ${FINE} and ${COARSE}.`
    }
    const splits = [await openRecordSplit('train', [path.join(dir, 'train.bin')], layout)]
    const notes: string[] = []
    if (entries.includes('test.bin')) splits.push(await openRecordSplit('test', [path.join(dir, 'test.bin')], layout))
    else notes.push('No test.bin in the folder: the dataset has no test split.')
    return {
      format: 'cifar100-bin',
      root: dir,
      shape: { height: CIFAR_SIDE, width: CIFAR_SIDE, channels: 3 },
      classes,
      coarseClasses,
      splits,
      suggestedName: 'CIFAR-100',
      notes
    }
  }
}
