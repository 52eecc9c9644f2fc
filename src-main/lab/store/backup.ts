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
import { markInterruptedRuns, processIsAlive } from './runs'

/*
 * Temporary files. A copy is written to `<target>.partial-<pid>` (plus the SQLite journal SQLite
 * keeps beside it while copying) and renamed into place when complete, so a backup file is never
 * half-written. A process killed mid-copy cannot clean up, so:
 *  - before copying, a marker `.backup-in-progress-<pid>-<n>` naming the partial file is written in
 *    the data directory, and removed when the copy has ended either way;
 *  - at start-up (cleanBackupDebris), the partial files named by markers of processes that no
 *    longer exist are deleted, wherever the backup was going; before every backup, so are partial
 *    files of dead processes in the target folder — only when they are SQLite files (or empty), so a
 *    user's own `*.partial-N` file is never touched.
 */
const MARKER_PREFIX = '.backup-in-progress-'
const PARTIAL_NAME = /\.partial-(\d+)$/
const SIDECARS = ['', '-journal', '-wal', '-shm']
/** Partial files being written by this process right now: never stale, whatever their pid says. */
const copying = new Set<string>()
let markerCount = 0

/** Deletes a partial copy and its SQLite side files; only regular files, never a folder. */
function removePartial(tmp: string): void {
  for (const suffix of SIDECARS) {
    try {
      if (fs.lstatSync(tmp + suffix).isFile()) fs.unlinkSync(tmp + suffix)
    } catch {
      // Already gone, or not ours to delete.
    }
  }
}

const isStale = (pid: number, tmp: string) => !copying.has(tmp) && (pid === process.pid || !processIsAlive(pid))

/**
 * Whether `file` can be a partial copy we wrote: empty (killed before the first page) or an SQLite
 * database. A user's own file that merely has a similar name is never deleted.
 */
function isSqliteOrEmpty(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const head = Buffer.alloc(16)
      const n = fs.readSync(fd, head, 0, 16, 0)
      return n === 0 || head.toString('latin1', 0, n) === 'SQLite format 3\0'.slice(0, n)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return false
  }
}

/** Partial copies in `dir` (with their journals) left by processes that no longer run. Returns the names removed. */
export function removeStalePartials(dir: string): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const match = PARTIAL_NAME.exec(name)
    if (!match) continue
    const tmp = path.join(dir, name)
    if (!isStale(Number(match[1]), tmp) || !fs.lstatSync(tmp).isFile() || !isSqliteOrEmpty(tmp)) continue
    removePartial(tmp)
    removed.push(name)
  }
  return removed
}

/**
 * Start-up repair: every unfinished backup recorded in `dataDir` whose process is gone has its
 * partial copy (wherever it was going) and its marker deleted. Returns the partial paths removed.
 */
export function cleanBackupDebris(dataDir: string): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(dataDir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!name.startsWith(MARKER_PREFIX)) continue
    const marker = path.join(dataDir, name)
    const pid = Number(/^\.backup-in-progress-(\d+)-/.exec(name)?.[1])
    let tmp = ''
    try {
      tmp = fs.readFileSync(marker, 'utf8').trim()
    } catch {
      continue
    }
    if (pid && !isStale(pid, tmp)) continue
    // Only a path of the shape we write is deleted: a marker is not a licence to delete anything else.
    if (PARTIAL_NAME.test(tmp) && path.isAbsolute(tmp)) {
      removePartial(tmp)
      removed.push(tmp)
    }
    fs.rmSync(marker, { force: true })
  }
  return removed
}

/** A consistent copy of the log at `target`, written under a temporary name and renamed into place. */
async function copyLog(db: Database.Database, target: string): Promise<void> {
  const dataDir = path.dirname(db.name)
  cleanBackupDebris(dataDir)
  removeStalePartials(path.dirname(target))
  const tmp = `${target}.partial-${process.pid}`
  if (copying.has(tmp)) throw new LabError('conflict', `A backup to ${target} is already being written; wait for it to finish.`, 'path')
  const marker = path.join(dataDir, `${MARKER_PREFIX}${process.pid}-${++markerCount}`)
  copying.add(tmp)
  try {
    fs.writeFileSync(marker, tmp)
    await db.backup(tmp)
    fs.renameSync(tmp, target)
  } finally {
    removePartial(tmp)
    copying.delete(tmp)
    fs.rmSync(marker, { force: true })
  }
}

export async function backupLog(db: Database.Database, outPath: string): Promise<{ path: string; bytes: number }> {
  const target = path.resolve(outPath)
  if (fs.existsSync(target) && fs.statSync(target).isDirectory())
    throw new LabError(
      'bad_input',
      `${target} is a folder; give the path of the backup file to write, e.g. ${path.join(target, 'advlab-backup.sqlite')}.`,
      'path'
    )
  fs.mkdirSync(path.dirname(target), { recursive: true })
  try {
    await copyLog(db, target)
  } catch (error) {
    if (error instanceof LabError) throw error
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
export async function restoreLog(
  db: Database.Database,
  logPath: string,
  file: string
): Promise<{ restoredFrom: string; previousSavedAt: string }> {
  const source = path.resolve(file)
  const why = checkBackup(source)
  if (why) throw new LabError('bad_input', `${source} cannot be restored: ${why}. The log was not changed.`, 'path')
  const active = db.prepare("SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')").get() as { n: number }
  if (active.n > 0)
    throw new LabError(
      'conflict',
      `${active.n} run(s) are queued or running; cancel them or let them finish before restoring a backup.`,
      'path'
    )
  const saved = `${logPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
  await copyLog(db, saved)
  const src = new Database(source, { readonly: true, fileMustExist: true })
  try {
    // SQLite copies the pages in one write transaction on the live log: a failure rolls it back.
    await src.backup(logPath)
  } catch (error) {
    throw new LabError(
      'bad_input',
      `${source} could not be restored (${(error as Error).message}); the log was left as it was, and a copy of it is at ${saved}.`,
      'path'
    )
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
