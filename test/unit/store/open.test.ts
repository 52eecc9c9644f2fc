/** Opening the experiment log: a log we cannot trust is set aside, never overwritten. */
import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { openLog, LOG_FILE_NAME, APPLICATION_ID } from '../../../src-main/lab/store/open'
import { migrations } from '../../../src-main/lab/store/migrations'
import { LabService } from '../../../src-main/lab/service'
import { tempDir } from '../../support/temp'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function dataDir(): string {
  const t = tempDir('store')
  cleanups.push(t.cleanup)
  return t.dir
}

describe('openLog', () => {
  it('creates a WAL-mode log with foreign keys on and every migration applied', () => {
    const dir = dataDir()
    const { db, path: logPath, setAside } = openLog(dir)
    expect(logPath).toBe(path.join(dir, LOG_FILE_NAME))
    expect(setAside).toBeNull()
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name)
    expect(tables).toEqual(expect.arrayContaining(['projects', 'datasets', 'runs', 'metrics', 'events', 'eval_results', 'artifacts']))
    db.close()
  })

  it('reopens an existing log with its rows intact', () => {
    const dir = dataDir()
    const first = openLog(dir)
    first.db.prepare("INSERT INTO projects (name, created_at, updated_at) VALUES ('kept', 'a', 'a')").run()
    first.db.close()
    const second = openLog(dir)
    expect(second.setAside).toBeNull()
    expect(second.db.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'kept' }])
    second.db.close()
  })

  it('sets a corrupt file aside, keeps its bytes, and starts a fresh log', () => {
    const dir = dataDir()
    const garbage = Buffer.alloc(8192, 0x5a)
    fs.writeFileSync(path.join(dir, LOG_FILE_NAME), garbage)
    const { db, setAside } = openLog(dir)
    expect(setAside?.reason).toMatch(/^it cannot be read as SQLite \(file is not a database\)$/)
    expect(setAside!.path).toMatch(/advlab\.sqlite\.set-aside-/)
    expect(fs.readFileSync(setAside!.path)).toEqual(garbage)
    expect(db.prepare('SELECT count(*) AS n FROM projects').get()).toEqual({ n: 0 })
    db.close()
  })

  it('sets aside a log whose pages are damaged (integrity check fails)', () => {
    const dir = dataDir()
    const { db } = openLog(dir)
    const insert = db.prepare('INSERT INTO events (run_id, level, message, time) VALUES (NULL, ?, ?, ?)')
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('info', `line ${i} `.repeat(20), i)
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    // Overwrite the middle of the file: b-tree pages of the events table.
    const file = path.join(dir, LOG_FILE_NAME)
    const bytes = fs.readFileSync(file)
    bytes.fill(0xff, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192)
    fs.writeFileSync(file, bytes)
    const reopened = openLog(dir)
    expect(reopened.setAside?.reason).toMatch(/integrity check failed|cannot be read as SQLite/)
    expect(reopened.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 })
    reopened.db.close()
  })

  it('never takes over a foreign SQLite database', () => {
    const dir = dataDir()
    const foreign = new Database(path.join(dir, LOG_FILE_NAME))
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)')
    foreign.close()
    const { db, setAside } = openLog(dir)
    expect(setAside?.reason).toBe('it is an SQLite file, but not an AdvLab log')
    const kept = new Database(setAside!.path, { readonly: true })
    expect(kept.prepare('SELECT total FROM invoices').get()).toEqual({ total: 9.5 })
    kept.close()
    db.close()
  })

  it('sets aside a log written by a newer AdvLab instead of downgrading it', () => {
    const dir = dataDir()
    const { db } = openLog(dir)
    db.pragma(`user_version = ${migrations.length + 5}`)
    db.close()
    const reopened = openLog(dir)
    expect(reopened.setAside?.reason).toBe(
      `it was written by a newer AdvLab (schema ${migrations.length + 5}, this version knows ${migrations.length})`
    )
    reopened.db.close()
  })

  it('tells the user about a set-aside log through status and the events log', async () => {
    const dir = dataDir()
    fs.writeFileSync(path.join(dir, LOG_FILE_NAME), 'not a database at all, just text')
    const lab = new LabService({ dataDir: dir })
    const response = await lab.handle('status.get', {})
    expect(response.ok && response.result).toMatchObject({ setAside: { reason: expect.stringContaining('cannot be read as SQLite') } })
    const event = lab.ctx.db.prepare("SELECT level, message FROM events WHERE level = 'warn'").get() as { message: string }
    expect(event.message).toContain('set aside at')
    await lab.close()
  })
})
