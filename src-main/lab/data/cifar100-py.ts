/**
 * CIFAR-100 python version (`cifar-100-python`): pickled train, test and meta
 * (fine_label_names, coarse_label_names); the fine labels are the classes.
 */
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource } from './source'
import { CIFAR_SIDE } from './cifar-records'
import { nameList, openPickleSplit, readPickledDict } from './cifar-pickle'
import { listFolder } from './files'

export const cifar100PyFormat: DatasetFormatModule = {
  format: 'cifar100-py',
  title: 'CIFAR-100 python (pickle)',
  looksLike: (_dir, entries) => entries.includes('train') && entries.includes('meta'),
  async open(dir): Promise<DatasetSource> {
    const entries = await listFolder(dir)
    const metaFile = path.join(dir, 'meta')
    const meta = await readPickledDict(metaFile)
    const classes = nameList(meta, 'fine_label_names', metaFile)
    const coarseClasses = nameList(meta, 'coarse_label_names', metaFile)
    const todo = `Fix the file, or check the label names in ${metaFile}.`
    const fine = { key: 'fine_labels', count: classes.length }
    const coarse = [{ key: 'coarse_labels', count: coarseClasses.length }]
    const splits = [await openPickleSplit('train', [path.join(dir, 'train')], fine, coarse, todo)]
    const notes: string[] = []
    if (entries.includes('test')) splits.push(await openPickleSplit('test', [path.join(dir, 'test')], fine, coarse, todo))
    else notes.push('No test file in the folder: the dataset has no test split.')
    return {
      format: 'cifar100-py',
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
