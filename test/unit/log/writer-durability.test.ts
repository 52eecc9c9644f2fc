/**
 * What makes a metric durable: the writer commits at least once a second and at every phase end,
 * so another connection (another process after a crash) sees the points; and the WAL is
 * checkpointed as logging goes on, so it never grows without bound.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { LOG_FILE_NAME } from '../../../src-main/lab/store/open'
import { addRun, freshLog, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

function otherConnection(lab: Lab): Database.Database {
  return new Database(path.join(lab.dir, LOG_FILE_NAME), { readonly: true })
}

describe('metric durability', () => {
  it('commits a lone point within a second, without any flush call', async () => {
    lab = freshLog()
    const run = addRun(lab.db, { name: 'r', status: 'running' })
    const writer = new MetricWriter(lab.db)
    writer.add(run, [{ name: 'loss', step: 0, value: 1 }])
    const reader = otherConnection(lab)
    const count = () => (reader.prepare("SELECT count(*) AS n FROM metrics WHERE name = 'loss'").get() as { n: number }).n
    expect(count()).toBe(0)
    await new Promise((r) => setTimeout(r, 1100))
    expect(count()).toBe(1)
    reader.close()
  })

  it('commits at a phase end (flush) at once', () => {
    lab = freshLog()
    const run = addRun(lab.db, { name: 'r', status: 'running' })
    const writer = new MetricWriter(lab.db)
    writer.add(
      run,
      Array.from({ length: 10 }, (_, step) => ({ name: 'loss', step, value: step }))
    )
    writer.flush()
    const reader = otherConnection(lab)
    expect(reader.prepare("SELECT count(*) AS n FROM metrics WHERE name = 'loss'").get()).toEqual({ n: 10 })
    reader.close()
  })

  it('keeps the WAL bounded during heavy logging (automatic checkpoints)', () => {
    lab = freshLog()
    const run = addRun(lab.db, { name: 'r', status: 'running' })
    const writer = new MetricWriter(lab.db)
    for (let step = 0; step < 100_000; step++)
      writer.add(run, [
        { name: 'a', step, value: step },
        { name: 'b', step, value: -step }
      ])
    writer.flush()
    const wal = fs.statSync(path.join(lab.dir, `${LOG_FILE_NAME}-wal`)).size
    const db = fs.statSync(path.join(lab.dir, LOG_FILE_NAME)).size
    // 200,000 rows make a log of several MB; the WAL stays near its 1000-page checkpoint threshold.
    expect(db).toBeGreaterThan(4_000_000)
    expect(wal).toBeLessThan(8 * 1024 * 1024)
  })
})
