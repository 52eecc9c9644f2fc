/**
 * Killing serve mode with SIGKILL while projects are being created: the log must pass
 * `PRAGMA integrity_check`, hold every project whose creation was answered, and open on the next
 * start without being set aside.
 */
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import path from 'node:path'
import WebSocket from 'ws'
import { LabService } from '../../../src-main/lab/service'
import { killed, spawnTs, waitForOutput } from '../../support/child'
import { tempDir } from '../../support/temp'

describe('serve mode killed with SIGKILL mid-write', () => {
  it('leaves a log that passes integrity_check, keeps every answered project, and reopens', async () => {
    const { dir, cleanup } = tempDir('sigkill')
    const dataDir = path.join(dir, 'data')
    let answered = 0
    for (let round = 0; round < 3; round++) {
      const child = spawnTs('test/support/serve-child.ts', [dataDir, path.join(dir, 'renderer')])
      const [, url] = await waitForOutput(child, /serving on (http:\S+)/)
      const { port, searchParams } = new URL(url)
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`)
      await new Promise((r) => ws.once('open', r))
      ws.on('error', () => {})
      // Keep many creations in flight, then kill at a random moment among them.
      let id = 0
      ws.on('message', (raw) => {
        if (JSON.parse(String(raw)).ok) answered++
      })
      const fire = setInterval(() => {
        for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ id: ++id, method: 'projects.create', params: { name: `r${round}-p${id}` } }))
      }, 2)
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300))
      await killed(child, 'SIGKILL')
      clearInterval(fire)
      ws.terminate()
    }

    const db = new Database(path.join(dataDir, 'advlab.sqlite'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const stored = (db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n
    db.close()
    expect(answered).toBeGreaterThan(0)
    expect(stored).toBeGreaterThanOrEqual(answered)

    const lab = new LabService({ dataDir })
    expect(lab.ctx.setAside).toBeNull()
    const list = await lab.handle('projects.list', {})
    expect(list.ok && (list.result as unknown[]).length).toBe(stored)
    await lab.close()
    cleanup()
  })
})
