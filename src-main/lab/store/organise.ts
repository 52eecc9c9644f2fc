/**
 * Organising runs: tags, a note, a star, a new name, archive, and a trash. Deleting moves a run to
 * the trash (nothing is lost); only emptying the trash removes its rows and artifact files.
 */
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { LabError } from '../../api/errors'

export interface RunMarks {
  tags: string[]
  note: string
  starred: boolean
  archived: boolean
  deletedAt: string | null
}

const ACTIVE = new Set(['queued', 'running'])

function requireRuns(db: Database.Database, ids: readonly number[]): Array<{ id: number; status: string; deleted_at: string | null }> {
  const get = db.prepare('SELECT id, status, deleted_at FROM runs WHERE id = ?')
  return ids.map((id) => {
    const row = get.get(id) as { id: number; status: string; deleted_at: string | null } | undefined
    if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
    return row
  })
}

export function normaliseTag(tag: string): string {
  const t = tag.trim()
  if (t.length === 0 || t.length > 64) throw new LabError('bad_input', `A tag must be 1–64 characters; "${tag}" is not.`, 'tags')
  return t
}

export function tagRuns(db: Database.Database, ids: readonly number[], tags: readonly string[]): void {
  requireRuns(db, ids)
  const clean = tags.map(normaliseTag)
  const insert = db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)')
  db.transaction(() => ids.forEach((id) => clean.forEach((t) => insert.run(id, t))))()
}

export function untagRuns(db: Database.Database, ids: readonly number[], tags: readonly string[]): void {
  requireRuns(db, ids)
  const remove = db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?')
  db.transaction(() => ids.forEach((id) => tags.forEach((t) => remove.run(id, t.trim()))))()
}

export function setNote(db: Database.Database, id: number, note: string): void {
  requireRuns(db, [id])
  db.prepare('UPDATE runs SET note = ?, updated_at = ? WHERE id = ?').run(note, new Date().toISOString(), id)
}

export function setStarred(db: Database.Database, id: number, starred: boolean): void {
  requireRuns(db, [id])
  db.prepare('UPDATE runs SET starred = ?, updated_at = ? WHERE id = ?').run(starred ? 1 : 0, new Date().toISOString(), id)
}

export function renameRun(db: Database.Database, id: number, name: string): void {
  requireRuns(db, [id])
  const clean = name.trim()
  if (clean.length === 0 || clean.length > 200) throw new LabError('bad_input', 'A run name must be 1–200 characters.', 'name')
  db.prepare('UPDATE runs SET name = ?, updated_at = ? WHERE id = ?').run(clean, new Date().toISOString(), id)
}

export function setArchived(db: Database.Database, ids: readonly number[], archived: boolean): void {
  requireRuns(db, ids)
  const now = new Date().toISOString()
  const update = db.prepare('UPDATE runs SET archived_at = ?, updated_at = ? WHERE id = ?')
  db.transaction(() => ids.forEach((id) => update.run(archived ? now : null, now, id)))()
}

/** Moves runs to the trash. A queued or running run must be cancelled first. */
export function trashRuns(db: Database.Database, ids: readonly number[]): void {
  for (const run of requireRuns(db, ids)) {
    if (ACTIVE.has(run.status)) throw new LabError('conflict', `Run ${run.id} is ${run.status}; cancel it before deleting it.`, 'ids')
  }
  const now = new Date().toISOString()
  const update = db.prepare('UPDATE runs SET deleted_at = COALESCE(deleted_at, ?), updated_at = ? WHERE id = ?')
  db.transaction(() => ids.forEach((id) => update.run(now, now, id)))()
}

export function restoreFromTrash(db: Database.Database, ids: readonly number[]): void {
  for (const run of requireRuns(db, ids)) {
    if (run.deleted_at === null) throw new LabError('conflict', `Run ${run.id} is not in the trash.`, 'ids')
  }
  const update = db.prepare('UPDATE runs SET deleted_at = NULL, updated_at = ? WHERE id = ?')
  db.transaction(() => ids.forEach((id) => update.run(new Date().toISOString(), id)))()
}

export interface TrashEntry {
  id: number
  name: string
  deletedAt: string
  artifactBytes: number
}

export function listTrash(db: Database.Database): TrashEntry[] {
  return db
    .prepare(
      `SELECT r.id, r.name, r.deleted_at AS deletedAt, COALESCE((SELECT sum(bytes) FROM artifacts a WHERE a.run_id = r.id), 0) AS artifactBytes
       FROM runs r WHERE r.deleted_at IS NOT NULL ORDER BY r.deleted_at DESC, r.id DESC`
    )
    .all() as TrashEntry[]
}

/**
 * Empties the trash (or only the given runs in it): the rows go (metrics, events, results and
 * artifacts cascade) and then the artifact files, which never lie outside the data directory.
 * Returns the ids removed and the bytes of files freed.
 */
export function emptyTrash(db: Database.Database, dataDir: string, ids?: readonly number[]): { ids: number[]; freedBytes: number } {
  const inTrash = (db.prepare('SELECT id FROM runs WHERE deleted_at IS NOT NULL').all() as { id: number }[]).map((r) => r.id)
  const chosen = ids ? inTrash.filter((id) => ids.includes(id)) : inTrash
  if (ids) for (const id of ids) if (!chosen.includes(id)) throw new LabError('conflict', `Run ${id} is not in the trash.`, 'ids')
  const files: Array<{ path: string; bytes: number }> = []
  const artifacts = db.prepare('SELECT path, bytes FROM artifacts WHERE run_id = ?')
  const remove = db.prepare('DELETE FROM runs WHERE id = ?')
  db.transaction(() => {
    for (const id of chosen) {
      files.push(...(artifacts.all(id) as Array<{ path: string; bytes: number }>))
      remove.run(id)
    }
  })()
  // Files are removed only after the rows are gone, so a crash in between leaves orphan files
  // (harmless) and never rows that point at missing files.
  const root = path.resolve(dataDir)
  // A file another run still points at stays (a defended "wrapped" run shares its source's weights).
  const stillUsed = db.prepare('SELECT 1 FROM artifacts WHERE path = ? LIMIT 1')
  let freedBytes = 0
  for (const f of files) {
    const full = path.resolve(root, f.path)
    if (!full.startsWith(root + path.sep) || stillUsed.get(f.path)) continue
    try {
      fs.rmSync(full, { force: true, recursive: true })
      freedBytes += f.bytes
    } catch {
      /* a file already gone is the goal */
    }
  }
  return { ids: chosen, freedBytes }
}

export function runMarks(db: Database.Database, id: number): RunMarks {
  const row = db.prepare('SELECT note, starred, archived_at, deleted_at FROM runs WHERE id = ?').get(id) as
    { note: string; starred: number; archived_at: string | null; deleted_at: string | null } | undefined
  if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'id')
  const tags = (db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').all(id) as { tag: string }[]).map((t) => t.tag)
  return { tags, note: row.note, starred: row.starred === 1, archived: row.archived_at !== null, deletedAt: row.deleted_at }
}
