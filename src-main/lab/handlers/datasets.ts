import type { Handlers } from './handler'
import type { Detection } from '../../api/datasets'
import { getDatasetRecord, listDatasetRecords, toDataset } from '../store/datasets'
import { openDataset, describeSource } from '../data/detect'
import { registerDataset, removeDataset, readPreview } from '../data/registry'
import { ensureBuiltinDatasets, rememberBuiltinRemoved } from '../data/builtins'

/** Progress events at most this often: enough for a progress bar, not a flood over IPC. */
const PROGRESS_INTERVAL_MS = 250

type DatasetRequest = 'datasets.detect' | 'datasets.register' | 'datasets.list' | 'datasets.get' | 'datasets.preview' | 'datasets.remove'

export const datasetHandlers: Handlers<DatasetRequest> = {
  'datasets.detect': async ({ path }): Promise<Detection> => {
    const source = await openDataset(path)
    return {
      path: source.root,
      format: source.format,
      description: describeSource(source),
      splits: Object.fromEntries(source.splits.map((s) => [s.name, s.count])),
      shape: source.shape,
      classCount: source.classes.length,
      files: [...new Set(source.splits.flatMap((s) => s.files))].slice(0, 100)
    }
  },
  'datasets.register': async ({ path, name, format }, ctx) => {
    let last = 0
    const onProgress = (step: number, total: number, root: string) => {
      const now = Date.now()
      if (step < total && now - last < PROGRESS_INTERVAL_MS) return
      last = now
      ctx.events.emit('datasets.progress', { path: root, phase: 'reading', step, total })
    }
    const { record, created } = await registerDataset(ctx, { path, name, format, onProgress })
    if (created) ctx.events.emit('datasets.changed', { id: record.id, change: 'registered' })
    return { dataset: toDataset(record), created }
  },
  'datasets.list': async (_params, ctx) => {
    const added = await ensureBuiltinDatasets(ctx)
    const records = listDatasetRecords(ctx.db)
    for (const builtin of added) {
      const record = records.find((r) => r.info.builtin === builtin)
      if (record) ctx.events.emit('datasets.changed', { id: record.id, change: 'registered' })
    }
    return records.map(toDataset)
  },
  'datasets.get': ({ dataset }, { db }) => toDataset(getDatasetRecord(db, dataset)),
  'datasets.preview': ({ dataset }, ctx) => readPreview(ctx, dataset),
  'datasets.remove': ({ dataset }, ctx) => {
    const record = removeDataset(ctx, dataset)
    rememberBuiltinRemoved(ctx, record.info.builtin)
    ctx.events.emit('datasets.changed', { id: record.id, change: 'removed' })
    return { id: record.id, name: record.name }
  }
}
