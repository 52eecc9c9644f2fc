/**
 * Cancelling a study is recorded in the log, not in the runner's memory: the study ends
 * `cancelled`, every run it started has ended, and it starts nothing after the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('study-cancel')
})
afterAll(() => t?.close())

describe('cancelling a study', () => {
  it('records the request in the log, ends every run of the study and starts no more', async () => {
    const study = await t.api.request('studies.start', {
      preset: 'seed-quick',
      scale: { seeds: 1, trainImages: 512, testImages: 64, evalImages: 16 }
    })
    // Wait until the study has started its first runs.
    await new Promise<void>((resolve) => {
      const poll = setInterval(async () => {
        if ((await t.api.request('studies.get', { id: study.id })).members.length > 0) {
          clearInterval(poll)
          resolve()
        }
      }, 100)
    })
    await t.api.request('studies.cancel', { id: study.id })
    const membersAtCancel = (await t.api.request('studies.get', { id: study.id })).members.length
    const final = await new Promise<string>((resolve) => {
      const poll = setInterval(async () => {
        const s = await t.api.request('studies.get', { id: study.id })
        if (s.status !== 'running') {
          clearInterval(poll)
          resolve(s.status)
        }
      }, 200)
    })
    expect(final).toBe('cancelled')
    const after = await t.api.request('studies.get', { id: study.id })
    // A run being started at the moment of the request may still join; nothing after that.
    expect(after.members.length).toBeLessThanOrEqual(membersAtCancel + 1)
    for (const m of after.members) expect(['completed', 'cancelled', 'failed']).toContain(m.status)
    await expect(t.api.call('studies.cancel', { id: study.id })).resolves.toMatchObject({ ok: false, error: { code: 'conflict' } })

    const db = new Database(t.lab.ctx.logPath, { readonly: true })
    try {
      const row = db.prepare('SELECT cancel_requested_at FROM studies WHERE id = ?').get(study.id) as { cancel_requested_at: string | null }
      expect(row.cancel_requested_at).not.toBeNull()
    } finally {
      db.close()
    }
  }, 300_000)
})
