/**
 * Opening the experiment log. The rule: a log we cannot trust is never overwritten. A corrupt
 * file, or a file that is not an AdvLab log, is moved aside with a timestamp, and a fresh log is
 * started; the caller reports the set-aside path to the user.
 */
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { migrations } from './migrations'
import { rehashConfigs } from './runs'
import { networkFileSystem } from './network-fs'

export const LOG_FILE_NAME = 'advlab.sqlite'
/** Written into `PRAGMA application_id` so a foreign SQLite file is never mistaken for ours. */
export const APPLICATION_ID = 0x41444c42 // "ADLB"

export interface OpenedLog {
  db: Database.Database
  path: string
  setAside: { path: string; reason: string } | null
}

export interface OpenOptions {
  /** For Electron, where better-sqlite3 is compiled for Electron's ABI into a separate file. */
  nativeBinding?: string
}

export function openLog(dataDir: string, options: OpenOptions = {}): OpenedLog {
  fs.mkdirSync(dataDir, { recursive: true })
  const logPath = path.join(dataDir, LOG_FILE_NAME)
  let setAside: OpenedLog['setAside'] = null

  if (fs.existsSync(logPath)) {
    const problem = diagnose(logPath, options)
    if (problem) setAside = { path: moveAside(logPath), reason: problem }
  }

  const db = connect(logPath, options)
  try {
    migrate(db)
    rehashConfigs(db)
  } catch (error) {
    db.close()
    throw error
  }
  return { db, path: logPath, setAside }
}

function connect(logPath: string, options: OpenOptions): Database.Database {
  const db = new Database(logPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  if (networkFileSystem(path.dirname(logPath))) {
    // WAL needs shared memory a network file system does not give: a rollback journal there, and
    // FULL, since NORMAL is only safe against a process kill in WAL mode.
    db.pragma('journal_mode = DELETE')
    db.pragma('synchronous = FULL')
  } else {
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode keeps every committed transaction across a process kill (only an OS crash
    // can lose the last ones), at a fraction of FULL's fsync cost.
    db.pragma('synchronous = NORMAL')
  }
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

/** Returns why the file cannot be used as our log, or null when it can. */
function diagnose(logPath: string, options: OpenOptions): string | null {
  let db: Database.Database | undefined
  try {
    db = new Database(logPath, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>
    const verdict = rows.map((r) => r.integrity_check).join('; ')
    if (verdict !== 'ok') return `integrity check failed: ${verdict}`
    const appId = db.pragma('application_id', { simple: true }) as number
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
    if (appId !== APPLICATION_ID && tables.n > 0) return 'it is an SQLite file, but not an AdvLab log'
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > migrations.length) return `it was written by a newer AdvLab (schema ${version}, this version knows ${migrations.length})`
    return null
  } catch (error) {
    return `it cannot be read as SQLite (${(error as Error).message})`
  } finally {
    db?.close()
  }
}

function moveAside(logPath: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const target = `${logPath}.set-aside-${stamp}`
  fs.renameSync(logPath, target)
  // The WAL and shared-memory files belong to the set-aside log, not to the fresh one.
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(logPath + suffix)) fs.renameSync(logPath + suffix, target + suffix)
  }
  return target
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version])
      db.pragma(`user_version = ${version + 1}`)
      db.pragma(`application_id = ${APPLICATION_ID}`)
    })()
  }
}
