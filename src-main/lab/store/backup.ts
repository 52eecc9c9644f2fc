/**
 * Backing up and restoring the whole log with SQLite's online backup API: a backup is a
 * consistent snapshot taken while AdvLab keeps writing, and a restore copies a backup's pages
 * onto the live log through the same API, so every open connection sees the restored log at once
 * (no file swapping under an open database). The log being replaced is saved first.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { LabError } from '../../api/errors'
import { APPLICATION_ID } from './open'
import { migrations } from './migrations'
import { markInterruptedRuns } from './runs'

export async function backupLog(db: Database.Database, outPath: string): Promise<{ path: string; bytes: number }> {
  const target = path.resolve(outPath)
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new LabError('bad_input', `${target} is a folder; give the path of the backup file to write, e.g. ${path.join(target, 'advlab-backup.sqlite')}.`, 'path')
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const tmp = `${target}.partial-${process.pid}`
  try {
    await db.backup(tmp)
    fs.renameSync(tmp, target)
  } catch (error) {
    fs.rmSync(tmp, { force: true })
    throw new LabError('bad_input', `Could not write the backup to ${target}: ${(error as Error).message}`, 'path')
  }
  return { path: target, bytes: fs.statSync(target).size }
}

/** Why a file cannot be restored, or null when it can. */
export function checkBackup(file: string): string | null {
  if (!fs.existsSync(file)) return 'the file does not exist'
  let src: Database.Database | undefined
  try {
    src = new Database(file, { readonly: true, fileMustExist: true })
    const ok = (src.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ')
    if (ok !== 'ok') return `it fails SQLite's integrity check (${ok})`
    if (src.pragma('application_id', { simple: true }) !== APPLICATION_ID) return 'it is not an AdvLab log'
    const version = src.pragma('user_version', { simple: true }) as number
    if (version > migrations.length) return `it was written by a newer AdvLab (schema ${version}; this one knows ${migrations.length})`
    return null
  } catch (error) {
    return `it cannot be read as SQLite (${(error as Error).message})`
  } finally {
    src?.close()
  }
}

/**
 * Replaces the live log's contents with the backup at `file`. Refused while runs are queued or
 * running. The replaced log is first backed up to `<log>.before-restore-<time>`; runs the backup
 * recorded as running are marked interrupted; a backup from an older AdvLab is migrated.
 */
export async function restoreLog(db: Database.Database, logPath: string, file: string): Promise<{ restoredFrom: string; previousSavedAt: string }> {
  const source = path.resolve(file)
  const why = checkBackup(source)
  if (why) throw new LabError('bad_input', `${source} cannot be restored: ${why}. The log was not changed.`, 'path')
  const active = db.prepare("SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')").get() as { n: number }
  if (active.n > 0) throw new LabError('conflict', `${active.n} run(s) are queued or running; cancel them or let them finish before restoring a backup.`, 'path')
  const saved = `${logPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
  await db.backup(saved)
  const src = new Database(source, { readonly: true, fileMustExist: true })
  try {
    // SQLite copies the pages in one write transaction on the live log: a failure rolls it back.
    await src.backup(logPath)
  } catch (error) {
    throw new LabError('bad_input', `${source} could not be restored (${(error as Error).message}); the log was left as it was, and a copy of it is at ${saved}.`, 'path')
  } finally {
    src.close()
  }
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v])
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  markInterruptedRuns(db)
  return { restoredFrom: source, previousSavedAt: saved }
}
