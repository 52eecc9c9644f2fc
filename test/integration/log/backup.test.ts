/** Backup and restore of the whole log through SQLite's online backup API. */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { backupLog, restoreLog } from '../../../src-main/lab/store/backup'
import { LOG_FILE_NAME } from '../../../src-main/lab/store/open'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { addRun, freshLog, type Lab } from '../../unit/log/fixtures'
import { killed, spawnTs, waitForOutput } from '../../support/child'
import { LabService } from '../../../src-main/lab/service'
import { logEvent } from '../../../src-main/lab/store/events'

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

/** Files in `dir` left by an unfinished backup: the partial copy and its SQLite journal. */
const debris = (dir: string) => fs.readdirSync(dir).filter((name) => name.includes('.partial-'))

/**
 * Kills a child in the middle of backing up `dataDir`'s log to `target`: waits until the partial
 * copy exists, then SIGKILLs. Tries again if the copy finished before the kill landed.
 */
async function killMidBackup(dataDir: string, target: string): Promise<string[]> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const child = spawnTs('test/integration/log/backup-child.ts', [dataDir, target])
    await waitForOutput(child, /backing up/)
    while (debris(path.dirname(target)).length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 1))
    await killed(child, 'SIGKILL')
    const left = debris(path.dirname(target))
    if (left.length > 0) return left
  }
  throw new Error('the backup always finished before the kill; make the log bigger')
}

describe('a backup killed mid-copy', () => {
  /** A log of ~40 MB, so that copying it takes long enough to be killed half-way. */
  function bigLog(label: string): Lab {
    const log = freshLog(label)
    const run = addRun(log.db, { name: 'big' })
    const text = 'x'.repeat(8_000)
    log.db.transaction(() => {
      for (let i = 0; i < 5_000; i++) logEvent(log.db, run, 'info', `${i} ${text}`)
    })()
    return log
  }

  it('leaves no partial copy or journal behind once the next backup into that folder runs', async () => {
    lab = bigLog('backup-kill')
    const folder = path.join(lab.dir, 'backups')
    const target = path.join(folder, 'log.sqlite')
    fs.mkdirSync(folder)
    const left = await killMidBackup(lab.dir, target)
    expect(left.some((name) => /^log\.sqlite\.partial-\d+$/.test(name))).toBe(true)
    await backupLog(lab.db, path.join(folder, 'another.sqlite'))
    expect(debris(folder)).toEqual([])
    expect(fs.readdirSync(folder).sort()).toEqual(['another.sqlite'])
  })

  it('leaves no partial copy or journal behind once AdvLab starts again, wherever the backup was going', async () => {
    lab = bigLog('backup-kill-start')
    const elsewhere = fs.mkdtempSync(path.join(path.dirname(lab.dir), 'advlab-backup-target-'))
    try {
      const target = path.join(elsewhere, 'log.sqlite')
      await killMidBackup(lab.dir, target)
      lab.db.close()
      const service = new LabService({ dataDir: lab.dir })
      await service.close()
      expect(debris(elsewhere)).toEqual([])
      expect(debris(lab.dir)).toEqual([])
      // The record of the unfinished backup is gone too: nothing is left to clean at the next start.
      expect(fs.readdirSync(lab.dir).filter((name) => name.startsWith('.backup'))).toEqual([])
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true })
    }
  })

  it('never deletes a user file that only looks like a partial copy', async () => {
    lab = freshLog('backup-lookalike')
    addRun(lab.db, { name: 'r' })
    const folder = path.join(lab.dir, 'downloads')
    fs.mkdirSync(folder)
    // A browser's unfinished download of a dead process's pid (2^22+1 is above Linux's pid_max).
    const lookalike = path.join(folder, `holiday.mp4.partial-${2 ** 22 + 1}`)
    fs.writeFileSync(lookalike, 'not a database')
    const stale = path.join(folder, `old.sqlite.partial-${2 ** 22 + 1}`)
    fs.writeFileSync(stale, '')
    await backupLog(lab.db, path.join(folder, 'log.sqlite'))
    expect(fs.readdirSync(folder).sort()).toEqual(['holiday.mp4.partial-4194305', 'log.sqlite'])
  })

  it('removes its partial copy and journal when the copy fails', async () => {
    lab = freshLog('backup-fail')
    addRun(lab.db, { name: 'r' })
    const folder = path.join(lab.dir, 'backups')
    fs.mkdirSync(folder)
    // A folder where SQLite wants the copy's journal: the copy starts, then cannot be written.
    const target = path.join(folder, 'log.sqlite')
    const journal = `${target}.partial-${process.pid}-journal`
    fs.mkdirSync(journal)
    await expect(backupLog(lab.db, target)).rejects.toThrow(`Could not write the backup to ${target}: `)
    // The partial copy is gone; the folder we planted is not ours to delete.
    expect(fs.readdirSync(folder)).toEqual([path.basename(journal)])
    expect(fs.readdirSync(lab.dir).filter((name) => name.startsWith('.backup'))).toEqual([])
  })
})
