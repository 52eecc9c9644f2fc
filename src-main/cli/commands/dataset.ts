import path from 'node:path'
import type { Command } from '../command'
import { UsageError } from '../args'
import type { Dataset } from '../../api/datasets'
import { DATASET_FORMATS, DatasetFormatSchema } from '../../api/datasets'

const n = (value: number) => value.toLocaleString('en-US')
const shape = (d: Dataset) => `${d.shape.height}×${d.shape.width}×${d.shape.channels}`
const splits = (d: Dataset) =>
  Object.entries(d.splits)
    .map(([name, count]) => `${n(count)} ${name}`)
    .join(' / ')

export const datasetAddCommand: Command = {
  words: ['dataset', 'add'],
  usage: 'lab dataset add <path> [--name NAME] [--format FORMAT] [--json]',
  summary: 'Detect, check and register a dataset folder (IDX, CIFAR binary/python, ImageFolder).',
  options: { values: ['name', 'format'] },
  async run({ positionals, options }, { api, json, out, err, interactive }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one dataset folder.')
    let format: Dataset['format'] | undefined
    if (typeof options.format === 'string') {
      const parsed = DatasetFormatSchema.safeParse(options.format)
      if (!parsed.success) throw new UsageError(`Unknown format "${options.format}"; use one of ${DATASET_FORMATS.join(', ')}.`)
      format = parsed.data
    }
    const folder = path.resolve(positionals[0])
    if (!json && !format) {
      const found = await api.request('datasets.detect', { path: folder })
      err(found.description)
    }
    // Reading every image once can take a while for a large folder: show how far it is.
    const stopProgress = interactive
      ? api.on('datasets.progress', ({ step, total }) =>
          process.stderr.write(`\r  reading images ${n(step)} / ${n(total)}${step === total ? '\n' : ''}`)
        )
      : () => {}
    let registered
    try {
      registered = await api.request('datasets.register', {
        path: folder,
        ...(typeof options.name === 'string' ? { name: options.name } : {}),
        ...(format ? { format } : {})
      })
    } finally {
      stopProgress()
    }
    const { dataset, created } = registered
    if (json) out(JSON.stringify({ dataset, created }, null, 2))
    else if (created)
      out(`Registered dataset ${dataset.id}: ${dataset.name} (${splits(dataset)}, ${shape(dataset)}, ${dataset.classes.length} classes)`)
    else out(`Already registered (same content) as dataset ${dataset.id}: ${dataset.name}`)
    return 0
  }
}

export const datasetListCommand: Command = {
  words: ['dataset', 'list'],
  usage: 'lab dataset list [--json]',
  summary: 'List registered datasets (built-in MNIST and Fashion-MNIST are added on first use).',
  async run(_args, { api, json, out }) {
    const datasets = await api.request('datasets.list', {})
    if (json) out(JSON.stringify(datasets, null, 2))
    else if (datasets.length === 0) out('No datasets yet. Add one with: lab dataset add <folder>')
    else
      for (const d of datasets)
        out(
          `${String(d.id).padStart(4)}  ${d.name.padEnd(16)} ready  ${splits(d)}, ${shape(d)}, ${d.classes.length} classes  [${d.format}${d.builtin ? ', built-in' : ''}]`
        )
    return 0
  }
}

export const datasetShowCommand: Command = {
  words: ['dataset', 'show'],
  usage: 'lab dataset show <name|id> [--json]',
  summary: 'Show one dataset: source, splits, shape, classes, mean/std.',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one dataset name or id.')
    const ref = /^\d+$/.test(positionals[0]) ? Number(positionals[0]) : positionals[0]
    const d = await api.request('datasets.get', { dataset: ref })
    if (json) {
      out(JSON.stringify(d, null, 2))
      return 0
    }
    const fixed = (values: number[]) => values.map((v) => v.toFixed(4)).join(', ')
    out(`${d.name} (dataset ${d.id})`)
    out(`  format        ${d.format}${d.builtin ? ` (built-in ${d.builtin})` : ''}`)
    out(`  source        ${d.sourcePath}`)
    out(`  splits        ${splits(d)}`)
    out(`  image shape   ${shape(d)} (height × width × channels)`)
    out(`  classes       ${d.classes.length}: ${d.classes.slice(0, 20).join(', ')}${d.classes.length > 20 ? ', …' : ''}`)
    for (const [split, counts] of Object.entries(d.classCounts)) out(`  per class     ${split}: ${counts.map(n).join(' ')}`)
    out(`  mean / std    ${fixed(d.mean)} / ${fixed(d.std)} (train split, pixels in [0, 1])`)
    out(`  content hash  ${d.contentHash}`)
    out(`  registered    ${d.createdAt}`)
    for (const note of d.notes) out(`  note          ${note}`)
    return 0
  }
}

export const datasetRemoveCommand: Command = {
  words: ['dataset', 'remove'],
  usage: 'lab dataset remove <name|id> [--json]',
  summary: 'Forget a dataset (its files stay where they are; runs keep their results).',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one dataset name or id.')
    const ref = /^\d+$/.test(positionals[0]) ? Number(positionals[0]) : positionals[0]
    const removed = await api.request('datasets.remove', { dataset: ref })
    out(json ? JSON.stringify(removed, null, 2) : `Removed dataset ${removed.id} (${removed.name}) from the log.`)
    return 0
  }
}
