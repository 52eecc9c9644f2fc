/**
 * The loader the engine uses: a registered dataset, one split, as float32 [0, 1] NHWC images and
 * int32 labels — optionally a seeded stratified subset, optionally with a held-out validation part
 * of the train split. The source files are streamed straight into the float32 array, so memory
 * stays close to the size of the result.
 */
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import type { DatasetRef } from '../../api/datasets'
import { LabError } from '../../api/errors'
import type { LabContext } from '../context'
import { getDatasetRecord, updateDatasetInfo, type DatasetRecord, type SourceFile } from '../store/datasets'
import { openDataset } from './detect'
import { cachedSplit } from './decoded-cache'
import { surveyDataset } from './survey'
import type { SplitName, SplitSource } from './source'
import { complement, deriveSeed, stratifiedPick } from './subsets'
import { count } from './errors'

export type LoadSplit = 'train' | 'validation' | 'test'

export interface LoadOptions {
  /** `validation` needs the `validation` option: it is carved out of the train split. */
  split?: LoadSplit
  /** Stratified subset of this many images of the chosen split (after validation is held out). */
  subset?: number
  /** Seed of every random choice here (validation hold-out and subset); default 0. */
  seed?: number
  /** Hold out this many train images (≥ 1) or this fraction of them (0 < v < 1) as validation. */
  validation?: number
}

export interface LoadedDataset {
  datasetId: number
  name: string
  contentHash: string
  split: LoadSplit
  /** n × height × width × channels, values in [0, 1]. */
  images: Float32Array
  labels: Int32Array
  /** Position of each image in its source split (train or test), ascending. */
  indices: Int32Array
  n: number
  height: number
  width: number
  channels: number
  classes: string[]
}

const INV_255 = 1 / 255

export async function loadDataset(
  from: LabContext | Database.Database,
  ref: DatasetRef,
  options: LoadOptions = {}
): Promise<LoadedDataset> {
  const db = 'db' in from ? from.db : from
  // The log lives in the data directory, which holds the decoded copies of ImageFolder datasets.
  const dataDir = 'db' in from ? from.dataDir : path.dirname(db.name)
  return loadRecord(getDatasetRecord(db, ref), options, dataDir, db)
}

/**
 * For a worker thread that was handed the record instead of a database. With `dataDir`, an
 * ImageFolder dataset is read from its decoded copy instead of decoding every image again.
 */
export async function loadDatasetRecord(record: DatasetRecord, options: LoadOptions = {}, dataDir?: string): Promise<LoadedDataset> {
  return loadRecord(record, options, dataDir)
}

async function loadRecord(record: DatasetRecord, options: LoadOptions, dataDir?: string, db?: Database.Database): Promise<LoadedDataset> {
  const split = options.split ?? 'train'
  const seed = options.seed ?? 0
  const sourceSplit = await openSplit(record, split === 'test' ? 'test' : 'train', dataDir, db)
  if (!sourceSplit)
    throw new LabError(
      'bad_input',
      `Dataset "${record.name}" has no test split. Hold out part of the train split instead (option validation, e.g. 0.1).`,
      'split'
    )
  if (sourceSplit.count !== record.info.splits[sourceSplit.name])
    throw changedSince(
      record,
      `its ${sourceSplit.name} split now has ${count(sourceSplit.count)} images, not ${count(record.info.splits[sourceSplit.name])}`
    )

  const total = sourceSplit.count
  let chosen: Int32Array | null = null
  if (options.validation !== undefined || split === 'validation' || options.subset !== undefined) {
    const labels = await sourceSplit.readLabels()
    let candidates: Int32Array = Int32Array.from({ length: total }, (_, i) => i)
    if (split !== 'test' && options.validation !== undefined) {
      const held = stratifiedPick(
        labels,
        candidates,
        validationCount(options.validation, total, record.name),
        deriveSeed(seed, 'validation')
      )
      candidates = split === 'validation' ? held : complement(total, held)
    } else if (split === 'validation') {
      throw new LabError(
        'bad_input',
        `Loading the validation split of "${record.name}" needs the validation option (a count, or a fraction of the train split).`,
        'validation'
      )
    }
    if (options.subset !== undefined) {
      if (!Number.isInteger(options.subset) || options.subset < 1)
        throw new LabError('bad_input', `The subset size must be a whole number of images ≥ 1 (got ${options.subset}).`, 'subset')
      candidates = stratifiedPick(labels, candidates, options.subset, deriveSeed(seed, 'subset'))
    }
    chosen = candidates
  }

  const { height, width, channels } = record.info.shape
  const imageSize = height * width * channels
  const n = chosen ? chosen.length : total
  const images = new Float32Array(n * imageSize)
  const labels = new Int32Array(n)
  const indices = chosen ?? Int32Array.from({ length: total }, (_, i) => i)
  // slot[i] = where source image i goes in the result, or -1 when it is not chosen.
  let slot: Int32Array | null = null
  let wanted: Uint8Array | undefined
  if (chosen) {
    slot = new Int32Array(total).fill(-1)
    wanted = new Uint8Array(total)
    chosen.forEach((index, position) => {
      slot![index] = position
      wanted![index] = 1
    })
  }
  let seen = 0
  await sourceSplit.readImages((chunk) => {
    const pixels = chunk.pixels
    for (let i = 0; i < chunk.count; i++) {
      const position = slot ? slot[chunk.start + i] : chunk.start + i
      if (position < 0) continue
      labels[position] = chunk.labels[i]
      const from = i * imageSize
      const target = images.subarray(position * imageSize, (position + 1) * imageSize)
      // set() converts bytes to floats natively; the multiply then scales in place (2–3× faster
      // than a lookup table, and bit-identical to v / 255 rounded to float32 for every byte v).
      target.set(pixels.subarray(from, from + imageSize))
      for (let p = 0; p < imageSize; p++) target[p] *= INV_255
      seen++
    }
  }, wanted)
  if (seen !== n) throw changedSince(record, `${count(seen)} of ${count(n)} images could be read`)
  return {
    datasetId: record.id,
    name: record.name,
    contentHash: record.contentHash,
    split,
    images,
    labels,
    indices,
    n,
    height,
    width,
    channels,
    classes: record.info.classes
  }
}

async function openSplit(
  record: DatasetRecord,
  name: SplitName,
  dataDir: string | undefined,
  db?: Database.Database
): Promise<SplitSource | undefined> {
  const { decodedFolder, splits, shape } = record.info
  if (decodedFolder && dataDir) {
    if (splits[name] === undefined) return undefined
    return cachedSplit(name, path.join(dataDir, decodedFolder), splits[name], shape.height * shape.width * shape.channels, record.name)
  }
  await checkFilesUnchanged(record, db)
  const source = await openDataset(record.sourcePath, record.format, { shape })
  return source.splits.find((s) => s.name === name)
}

function validationCount(value: number, total: number, name: string): number {
  const n = value > 0 && value < 1 ? Math.round(value * total) : value
  if (!Number.isInteger(n) || n < 1 || n >= total)
    throw new LabError(
      'bad_input',
      `The validation hold-out of "${name}" must be a fraction between 0 and 1 or a whole number between 1 and ${count(total - 1)} (got ${value}).`,
      'validation'
    )
  return n
}

/**
 * Size and modification time of every source file, compared with what registration saw. A file
 * that only got a new time (a reinstall of the npm package, a copy) is checked by content: if the
 * hash is still the registered one, the load goes on (and the new times are remembered when the
 * log is at hand). A missing file, another size or other content stops the load.
 */
async function checkFilesUnchanged(record: DatasetRecord, db?: Database.Database): Promise<void> {
  const touched: string[] = []
  const now: SourceFile[] = []
  for (const file of record.info.files) {
    let stats: fs.Stats
    try {
      stats = fs.statSync(file.path)
    } catch {
      throw changedSince(record, `${file.path} is missing`)
    }
    if (stats.size !== file.bytes) throw changedSince(record, `${file.path} was modified`)
    if (Math.abs(stats.mtimeMs - file.mtimeMs) > 1) touched.push(file.path)
    now.push({ path: file.path, bytes: stats.size, mtimeMs: stats.mtimeMs })
  }
  if (touched.length === 0) return
  const source = await openDataset(record.sourcePath, record.format, { shape: record.info.shape })
  const { contentHash } = await surveyDataset(source)
  if (contentHash !== record.contentHash) throw changedSince(record, `${touched[0]} was modified`)
  if (db) updateDatasetInfo(db, record.id, { ...record.info, files: now })
}

function changedSince(record: DatasetRecord, what: string): LabError {
  return new LabError(
    'bad_input',
    `The files of dataset "${record.name}" changed since it was registered (${what}). Remove it and register ${record.sourcePath} again, so results stay reproducible.`
  )
}
