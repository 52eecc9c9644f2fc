/**
 * A run whose process is killed while the run waits in the queue: at the next start it is
 * `interrupted` (resumable), so export and restore are not refused because of a run nobody runs.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { killed, spawnTs, waitForOutput } from '../../support/child'
import { testLab } from '../../support/lab'
import { tempDir } from '../../support/temp'

describe('a run killed while queued', () => {
  it('is interrupted at the next start, with a warning event, and no longer blocks backup restore or export', async () => {
    const t = tempDir('queued-ghost')
    const dataDir = path.join(t.dir, 'data')
    const child = spawnTs('test/integration/log/queued-child.ts', [dataDir])
    const [, id] = await waitForOutput(child, /queued (\d+)/)
    await killed(child, 'SIGKILL')
    const runId = Number(id)

    const { lab, api, close } = testLab('queued-ghost', dataDir)
    try {
      // A backup taken now must be restorable now: before the repair, the ghost blocked restore.
      const backup = await api.request('log.backup', { path: path.join(t.dir, 'backup.sqlite') })
      const run = await api.request('runs.get', { id: runId })
      expect(run.status).toBe('interrupted')
      expect(run.error).toBe('AdvLab stopped before this run started; resume it to run it.')
      const events = await api.request('runs.events', { id: runId, afterId: 0 })
      expect(events.map((e) => e.message)).toContain('AdvLab stopped before this run started; it is marked interrupted and can be resumed.')
      await expect(api.request('log.restore', { path: backup.path })).resolves.toMatchObject({ restoredFrom: backup.path })
      const bundle = await api.request('export.bundle', { ids: [runId], path: path.join(t.dir, 'ghost.advlab.zip') })
      expect(bundle.runs).toBe(1)
      // Cancel now says the truth: the run is interrupted, not running.
      await expect(api.request('runs.cancel', { id: runId })).rejects.toThrow(`Run ${runId} is interrupted, not queued or running`)
      expect(lab.ctx.jobs.isActive(runId)).toBe(false)
    } finally {
      await close()
      t.cleanup()
    }
  })
})
