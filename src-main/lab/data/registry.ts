/**
 * Registering a dataset: open (checks every header), survey (reads every byte once: hash, mean/std,
 * class counts, preview samples), then write the preview PNG under a temporary name and, in one
 * transaction, insert the dataset and its artifact and rename the PNG into place. Any failure leaves
 * neither a row nor a file behind. The same content registered again is found by its hash.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { DatasetFormat, DatasetPreview, DatasetRef } from '../../api/datasets'
import { LabError } from '../../api/errors'
import {
  datasetArtifacts,
  datasetNameTaken,
  deleteDataset,
  findDatasetByHash,
  getDatasetRecord,
  insertDataset,
  insertDatasetArtifact,
  type DatasetInfo,
  type DatasetRecord,
  type SourceFile
} from '../store/datasets'
import { openDataset } from './detect'
import { surveyDataset, PREVIEW_SAMPLES_PER_CLASS } from './survey'
import { renderPreviewGrid } from './preview'
import { DECODED_CACHE_LIMIT_BYTES, DecodedCacheWriter, type StagedFile } from './decoded-cache'
import type { DatasetSource } from './source'
import { registrationWarnings } from './warnings'

export interface RegistryContext {
  db: Database.Database
  dataDir: string
}

export interface RegisterRequest {
  path: string
  name?: string
  format?: DatasetFormat
  /** Set for the built-in datasets. */
  builtin?: string
  /** Called as images are read: how many of how many. */
  onProgress?: (done: number, total: number, path: string) => void
}

export const PREVIEW_KIND = 'preview'

export async function registerDataset(
  ctx: RegistryContext,
  request: RegisterRequest
): Promise<{ record: DatasetRecord; created: boolean }> {
  const source = await openDataset(request.path, request.format)
  const { height, width, channels } = source.shape
  const decodedBytes = source.splits.reduce((sum, s) => sum + s.count, 0) * height * width * channels
  removeAbandonedStaging(path.join(ctx.dataDir, 'datasets'))
  const staging = path.join(ctx.dataDir, 'datasets', `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`)
  const cache = source.format === 'imagefolder' && decodedBytes <= DECODED_CACHE_LIMIT_BYTES ? new DecodedCacheWriter(staging) : null
  try {
    const survey = await surveyDataset(
      source,
      (done, total) => request.onProgress?.(done, total, source.root),
      cache ? (split, chunk) => cache.write(split, chunk) : undefined
    )
    const existing = findDatasetByHash(ctx.db, survey.contentHash)
    if (existing) return { record: existing, created: false }
    if (request.name !== undefined && datasetNameTaken(ctx.db, request.name))
      throw new LabError('conflict', `A dataset named "${request.name}" already exists; choose another name.`, 'name')

    const staged: StagedFile[] = cache ? cache.finish() : []
    const preview = await renderPreviewGrid(survey.previewSamples, survey.previewShape, PREVIEW_SAMPLES_PER_CLASS)
    const { png } = preview
    const layout = { ...preview.layout, rows: survey.previewSamples.length }
    fs.mkdirSync(staging, { recursive: true })
    const previewTemp = path.join(staging, 'preview.png')
    fs.writeFileSync(previewTemp, png)
    staged.push({ kind: PREVIEW_KIND, tempPath: previewTemp, fileName: 'preview.png', sha256: sha256(png), bytes: png.length })

    const folder = path.join('datasets', survey.contentHash.slice(0, 16))
    const info: DatasetInfo = {
      splits: survey.splits,
      shape: source.shape,
      classes: source.classes,
      ...(source.coarseClasses ? { coarseClasses: source.coarseClasses } : {}),
      classCounts: survey.classCounts,
      mean: survey.mean,
      std: survey.std,
      builtin: request.builtin ?? null,
      notes: [...source.notes, ...registrationWarnings(source, survey)],
      files: sourceFiles(source),
      preview: layout,
      ...(cache ? { decodedFolder: folder } : {})
    }
    return placeAndInsert(ctx, { request, source, contentHash: survey.contentHash, info, staged, folder })
  } finally {
    cache?.discard()
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * One transaction: insert the dataset and its artifacts and move the staged files into place.
 * If anything fails, the rows roll back and the files already moved are deleted again.
 */
function placeAndInsert(
  ctx: RegistryContext,
  job: { request: RegisterRequest; source: DatasetSource; contentHash: string; info: DatasetInfo; staged: StagedFile[]; folder: string }
): { record: DatasetRecord; created: boolean } {
  const placed: string[] = []
  const finalFolder = path.join(ctx.dataDir, job.folder)
  try {
    const outcome = ctx.db.transaction(() => {
      // Checked again inside the transaction: a concurrent registration of the same data may have won.
      const winner = findDatasetByHash(ctx.db, job.contentHash)
      if (winner) return { id: winner.id, created: false }
      const name = job.request.name ?? freeName(ctx.db, job.source.suggestedName)
      const id = insertDataset(ctx.db, {
        name,
        format: job.source.format,
        sourcePath: job.source.root,
        contentHash: job.contentHash,
        info: job.info
      })
      fs.mkdirSync(finalFolder, { recursive: true })
      for (const file of job.staged) {
        const relPath = path.join(job.folder, file.fileName)
        insertDatasetArtifact(ctx.db, id, file.kind, relPath, file.sha256, file.bytes)
        fs.renameSync(file.tempPath, path.join(ctx.dataDir, relPath))
        placed.push(path.join(ctx.dataDir, relPath))
      }
      return { id, created: true }
    })()
    return { record: getDatasetRecord(ctx.db, outcome.id), created: outcome.created }
  } catch (error) {
    for (const file of placed) fs.rmSync(file, { force: true })
    removeEmptyFolder(finalFolder)
    throw error
  }
}

/** Removes the dataset from the registry and deletes its preview files; the source files stay. */
export function removeDataset(ctx: RegistryContext, ref: DatasetRef): DatasetRecord {
  const record = getDatasetRecord(ctx.db, ref)
  const artifacts = datasetArtifacts(ctx.db, record.id)
  ctx.db.transaction(() => deleteDataset(ctx.db, record.id))()
  for (const artifact of artifacts) {
    const file = path.join(ctx.dataDir, artifact.path)
    fs.rmSync(file, { force: true })
    removeEmptyFolder(path.dirname(file))
  }
  return record
}

export function readPreview(ctx: RegistryContext, ref: DatasetRef): DatasetPreview {
  const record = getDatasetRecord(ctx.db, ref)
  const artifact = datasetArtifacts(ctx.db, record.id, PREVIEW_KIND)[0]
  const layout = record.info.preview
  if (!artifact || !layout)
    throw new LabError('not_found', `Dataset "${record.name}" has no preview; remove it and register it again to make one.`, 'dataset')
  const file = path.join(ctx.dataDir, artifact.path)
  let png: Buffer
  try {
    png = fs.readFileSync(file)
  } catch {
    throw new LabError(
      'unavailable',
      `The preview of dataset "${record.name}" is missing (${file}); remove the dataset and register it again to make a new one.`
    )
  }
  if (sha256(png) !== artifact.sha256)
    throw new LabError(
      'unavailable',
      `The preview of dataset "${record.name}" (${file}) was changed on disk; remove the dataset and register it again to make a new one.`
    )
  return {
    datasetId: record.id,
    dataUrl: `data:image/png;base64,${png.toString('base64')}`,
    width: layout.width,
    height: layout.height,
    cellWidth: layout.cellWidth,
    cellHeight: layout.cellHeight,
    gap: layout.gap,
    samplesPerClass: layout.samplesPerClass,
    // Older previews have a row for every class; newer ones for the first PREVIEW_MAX_CLASSES.
    rows: record.info.classes.slice(0, layout.rows ?? record.info.classes.length),
    sha256: artifact.sha256
  }
}

/** "CIFAR-10", then "CIFAR-10 (2)", … when a dataset with other content has the name. */
function freeName(db: Database.Database, suggested: string): string {
  const base = suggested.trim().slice(0, 110) || 'dataset'
  if (!datasetNameTaken(db, base)) return base
  for (let i = 2; ; i++) if (!datasetNameTaken(db, `${base} (${i})`)) return `${base} (${i})`
}

/** Size and time of the files read, so a load notices changes. ImageFolder is checked by its counts instead. */
function sourceFiles(source: DatasetSource): SourceFile[] {
  if (source.format === 'imagefolder') return []
  const files = [...new Set(source.splits.flatMap((s) => s.files))]
  return files.map((file) => {
    const stats = fs.statSync(file)
    return { path: file, bytes: stats.size, mtimeMs: stats.mtimeMs }
  })
}

/** Staging folders of registrations whose process died (killed mid-way): never used, so deleted. */
function removeAbandonedStaging(datasetsDir: string): void {
  let names: string[]
  try {
    names = fs.readdirSync(datasetsDir)
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(/^\.incoming-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid || isAlive(pid)) continue
    fs.rmSync(path.join(datasetsDir, name), { recursive: true, force: true })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function removeEmptyFolder(dir: string): void {
  try {
    fs.rmdirSync(dir)
  } catch {
    // Not empty (another dataset's preview) or already gone: both fine.
  }
}
