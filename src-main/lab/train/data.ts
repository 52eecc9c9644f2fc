import type { TrainConfig } from '../../api/train'
import type { JobContext } from '../jobs/job-context'
import { JobFailure } from '../jobs/job-context'
import { loadDatasetRecord, type LoadedDataset } from '../data/loader'

/** The train and test images of a training config, as the job's inputs name them. */
export async function loadTrainingData(
  ctx: JobContext,
  config: Pick<TrainConfig, 'subset' | 'seed'>
): Promise<{ train: LoadedDataset; test: LoadedDataset | null }> {
  const record = ctx.spec.inputs.dataset
  if (!record) throw new JobFailure('this run names no dataset')
  ctx.progress({ phase: 'loading data', step: 0, total: 2, message: record.name })
  const train = await loadDatasetRecord(record, { split: 'train', subset: config.subset.train, seed: config.seed }, ctx.spec.dataDir)
  ctx.progress({ phase: 'loading data', step: 1, total: 2, message: record.name })
  const test = record.info.splits.test
    ? await loadDatasetRecord(record, { split: 'test', subset: config.subset.test, seed: config.seed }, ctx.spec.dataDir)
    : null
  ctx.log(
    'info',
    `Loaded ${record.name}: ${train.n} train and ${test?.n ?? 0} test images of ${train.height}×${train.width}×${train.channels}.`
  )
  return { train, test }
}
