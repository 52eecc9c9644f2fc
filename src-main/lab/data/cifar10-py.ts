/**
 * CIFAR-10 python version (`cifar-10-batches-py`): pickled data_batch_1..5, test_batch and
 * batches.meta (label_names). Krizhevsky (2009), https://www.cs.toronto.edu/~kriz/cifar.html
 */
import path from 'node:path'
import type { DatasetFormatModule, DatasetSource } from './source'
import { byBatchNumber, CIFAR_SIDE } from './cifar-records'
import { nameList, openPickleSplit, readPickledDict } from './cifar-pickle'
import { listFolder } from './files'
import { badFile } from './errors'

const TRAIN = /^data_batch_\d+$/

export const cifar10PyFormat: DatasetFormatModule = {
  format: 'cifar10-py',
  title: 'CIFAR-10 python (pickle)',
  looksLike: (_dir, entries) => entries.some((name) => TRAIN.test(name)),
  async open(dir): Promise<DatasetSource> {
    const entries = await listFolder(dir)
    const meta = path.join(dir, 'batches.meta')
    if (!entries.includes('batches.meta'))
      throw badFile(meta, 'does not exist', 'CIFAR-10 python batches need their batches.meta file; extract the whole archive.')
    const classes = nameList(await readPickledDict(meta), 'label_names', meta)
    const todo = `Fix the file, or check the label_names in ${meta}.`
    const train = entries
      .filter((name) => TRAIN.test(name))
      .sort(byBatchNumber)
      .map((name) => path.join(dir, name))
    const splits = [await openPickleSplit('train', train, { key: 'labels', count: classes.length }, [], todo)]
    const notes: string[] = []
    if (entries.includes('test_batch'))
      splits.push(await openPickleSplit('test', [path.join(dir, 'test_batch')], { key: 'labels', count: classes.length }, [], todo))
    else notes.push('No test_batch in the folder: the dataset has no test split.')
    return {
      format: 'cifar10-py',
      root: dir,
      shape: { height: CIFAR_SIDE, width: CIFAR_SIDE, channels: 3 },
      classes,
      splits,
      suggestedName: 'CIFAR-10',
      notes
    }
  }
}
