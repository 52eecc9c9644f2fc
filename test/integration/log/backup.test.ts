/** Backup and restore of the whole log through SQLite's online backup API. */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { backupLog, restoreLog } from '../../../src-main/lab/store/backup'
import { LOG_FILE_NAME } from '../../../src-main/lab/store/open'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { addRun, freshLog, type Lab } from '../../unit/log/fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())
const n = (db: Database.Database, t: string): number => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n

describe('backup and restore', () => {
  it('takes a consistent backup while writing goes on, and restores it into the open log', async () => {
    lab = freshLog('backup')
    const a = addRun(lab.db, { name: 'before', metrics: { loss: Array.from({ length: 1000 }, (_, i) => i) } })
    const w = new MetricWriter(lab.db)
    const writing = setInterval(() => w.add(a, [{ name: 'late', step: Date.now(), value: 1 }]), 1)
    const file = path.join(lab.dir, 'backups', 'log.sqlite')
    const res = await backupLog(lab.db, file)
    clearInterval(writing)
    w.flush()
    expect(res.bytes).toBeGreaterThan(0)
    const copy = new Database(file, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    const backedUpMetrics = n(copy, 'metrics')
    copy.close()

    addRun(lab.db, { name: 'after the backup' })
    expect(n(lab.db, 'runs')).toBe(2)
    const restored = await restoreLog(lab.db, path.join(lab.dir, LOG_FILE_NAME), file)
    // The same open connection now sees the backup's contents.
    expect(n(lab.db, 'runs')).toBe(1)
    expect(n(lab.db, 'metrics')).toBe(backedUpMetrics)
    expect(lab.db.pragma('integrity_check', { simple: true })).toBe('ok')
    const previous = new Database(restored.previousSavedAt, { readonly: true })
    expect(n(previous, 'runs')).toBe(2)
    previous.close()
  })

  it('refuses to restore a file that is not an AdvLab log, leaving the log unchanged', async () => {
    lab = freshLog('backup')
    addRun(lab.db, { name: 'kept' })
    const foreign = path.join(lab.dir, 'foreign.sqlite')
    const f = new Database(foreign)
    f.exec('CREATE TABLE t (x)')
    f.close()
    await expect(restoreLog(lab.db, path.join(lab.dir, LOG_FILE_NAME), foreign)).rejects.toThrow(/not an AdvLab log.*not changed/)
    const junk = path.join(lab.dir, 'junk.sqlite')
    fs.writeFileSync(junk, 'this is not a database at all, just text')
    await expect(restoreLog(lab.db, path.join(lab.dir, LOG_FILE_NAME), junk)).rejects.toThrow(/cannot be read as SQLite|not an AdvLab log/)
    expect(n(lab.db, 'runs')).toBe(1)
  })

  it('refuses to restore while a run is running', async () => {
    lab = freshLog('backup')
    addRun(lab.db, { name: 'busy', status: 'running' })
    const file = path.join(lab.dir, 'b.sqlite')
    await backupLog(lab.db, file)
    await expect(restoreLog(lab.db, path.join(lab.dir, LOG_FILE_NAME), file)).rejects.toThrow(/queued or running/)
  })
})
