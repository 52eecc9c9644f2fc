/**
 * Queries on the datasets registry (table `datasets`, migration 1) and its preview artifacts
 * (table `artifacts`, kind 'preview'). `info_json` holds the DatasetInfo below.
 */
import type Database from 'better-sqlite3'
import type { Dataset, DatasetFormat, DatasetRef } from '../../api/datasets'
import { LabError } from '../../api/errors'

export interface SourceFile {
  path: string
  bytes: number
  mtimeMs: number
}

export interface PreviewInfo {
  width: number
  height: number
  cellWidth: number
  cellHeight: number
  gap: number
  samplesPerClass: number
  /** How many classes have a row (the first ones); absent in previews made before rows were capped. */
  rows?: number
}

/** Everything about a dataset besides its columns; stored as JSON in `info_json`. */
export interface DatasetInfo {
  splits: Record<string, number>
  shape: { height: number; width: number; channels: number }
  classes: string[]
  coarseClasses?: string[]
  classCounts: Record<string, number[]>
  mean: number[]
  std: number[]
  builtin: string | null
  notes: string[]
  /** The files read, with size and time, so a later load notices when they changed. */
  files: SourceFile[]
  preview: PreviewInfo | null
  /**
   * ImageFolder: the decoded pixels and labels are kept in the data directory, in this folder
   * (relative to it), as <split>.images.u8 and <split>.labels.i32. Absent when not kept.
   */
  decodedFolder?: string
}

interface DatasetRow {
  id: number
  name: string
  format: string
  source_path: string
  content_hash: string
  info_json: string
  created_at: string
}

export interface DatasetRecord {
  id: number
  name: string
  format: DatasetFormat
  sourcePath: string
  contentHash: string
  info: DatasetInfo
  createdAt: string
}

const toRecord = (row: DatasetRow): DatasetRecord => ({
  id: row.id,
  name: row.name,
  format: row.format as DatasetFormat,
  sourcePath: row.source_path,
  contentHash: row.content_hash,
  info: JSON.parse(row.info_json) as DatasetInfo,
  createdAt: row.created_at
})

/** The record as the contract shows it. */
export function toDataset(record: DatasetRecord): Dataset {
  const { info } = record
  return {
    id: record.id,
    name: record.name,
    format: record.format,
    sourcePath: record.sourcePath,
    contentHash: record.contentHash,
    splits: info.splits,
    shape: info.shape,
    classes: info.classes,
    ...(info.coarseClasses ? { coarseClasses: info.coarseClasses } : {}),
    classCounts: info.classCounts,
    mean: info.mean,
    std: info.std,
    builtin: info.builtin,
    notes: info.notes,
    hasPreview: info.preview !== null,
    createdAt: record.createdAt
  }
}

export function listDatasetRecords(db: Database.Database): DatasetRecord[] {
  return (db.prepare('SELECT * FROM datasets ORDER BY id').all() as DatasetRow[]).map(toRecord)
}

export function findDatasetRecord(db: Database.Database, ref: DatasetRef): DatasetRecord | null {
  const row =
    typeof ref === 'number'
      ? (db.prepare('SELECT * FROM datasets WHERE id = ?').get(ref) as DatasetRow | undefined)
      : (db.prepare('SELECT * FROM datasets WHERE name = ?').get(ref.trim()) as DatasetRow | undefined)
  return row ? toRecord(row) : null
}

export function getDatasetRecord(db: Database.Database, ref: DatasetRef): DatasetRecord {
  const record = findDatasetRecord(db, ref)
  if (!record) {
    const names = listDatasetRecords(db).map((r) => r.name)
    const known = names.length > 0 ? ` Registered datasets: ${names.join(', ')}.` : ' No dataset is registered yet.'
    throw new LabError(
      'not_found',
      `There is no dataset ${typeof ref === 'number' ? `with id ${ref}` : `named "${ref}"`}.${known}`,
      'dataset'
    )
  }
  return record
}

export function findDatasetByHash(db: Database.Database, contentHash: string): DatasetRecord | null {
  const row = db.prepare('SELECT * FROM datasets WHERE content_hash = ?').get(contentHash) as DatasetRow | undefined
  return row ? toRecord(row) : null
}

export function datasetNameTaken(db: Database.Database, name: string): boolean {
  return db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name) !== undefined
}

export function insertDataset(
  db: Database.Database,
  values: { name: string; format: DatasetFormat; sourcePath: string; contentHash: string; info: DatasetInfo }
): number {
  try {
    const { lastInsertRowid } = db
      .prepare('INSERT INTO datasets (name, format, source_path, content_hash, info_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(values.name, values.format, values.sourcePath, values.contentHash, JSON.stringify(values.info), new Date().toISOString())
    return Number(lastInsertRowid)
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw new LabError('conflict', `A dataset named "${values.name}" already exists; choose another name.`, 'name')
    throw error
  }
}

export function updateDatasetInfo(db: Database.Database, id: number, info: DatasetInfo): void {
  db.prepare('UPDATE datasets SET info_json = ? WHERE id = ?').run(JSON.stringify(info), id)
}

export interface ArtifactRow {
  id: number
  path: string
  sha256: string
  bytes: number
}

export function insertDatasetArtifact(
  db: Database.Database,
  datasetId: number,
  kind: string,
  relPath: string,
  sha256: string,
  bytes: number
): number {
  const { lastInsertRowid } = db
    .prepare('INSERT INTO artifacts (run_id, dataset_id, kind, path, sha256, bytes, created_at) VALUES (NULL, ?, ?, ?, ?, ?, ?)')
    .run(datasetId, kind, relPath, sha256, bytes, new Date().toISOString())
  return Number(lastInsertRowid)
}

export function datasetArtifacts(db: Database.Database, datasetId: number, kind?: string): ArtifactRow[] {
  const sql = `SELECT id, path, sha256, bytes FROM artifacts WHERE dataset_id = ?${kind ? ' AND kind = ?' : ''} ORDER BY id`
  return (kind ? db.prepare(sql).all(datasetId, kind) : db.prepare(sql).all(datasetId)) as ArtifactRow[]
}

/** Deletes the dataset; its artifact rows go with it (ON DELETE CASCADE), runs keep a NULL link. */
export function deleteDataset(db: Database.Database, id: number): void {
  db.prepare('DELETE FROM datasets WHERE id = ?').run(id)
}

/**
 * Attacks, evaluations and sweeps measure a model on the test split of its dataset: launched on a
 * dataset without one, they are refused here, at launch, rather than queued to fail in the worker
 * (where the run would end `failed` and offer a resume that can never succeed).
 */
export function requireTestImages(db: Database.Database, datasetId: number | null, field: string): void {
  if (datasetId === null) return
  const record = getDatasetRecord(db, datasetId)
  if ((record.info.splits.test ?? 0) > 0) return
  throw new LabError(
    'bad_input',
    `Dataset "${record.name}" (id ${record.id}) has no test images, and attacks, evaluations and sweeps measure a model on test images. Register the dataset again with its test files, and train on that.`,
    field
  )
}
