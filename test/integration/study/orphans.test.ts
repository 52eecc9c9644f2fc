/**
 * A study left `running` is interrupted only when its runner is gone: a dead process, or this very
 * process without the study active. A study run by another live process sharing the log (a second
 * CLI) stays running.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { testLab } from '../../support/lab'
import { createStudy } from '../../../src-main/lab/store/studies'
import { resolvePreset } from '../../../src-main/lab/study/presets'

const t = testLab('study-orphans')
afterAll(() => t.close())

describe('studies left running', () => {
  it('are interrupted when their process is gone, and left alone while it lives', async () => {
    const plan = resolvePreset('seed-quick', 'mnist', { seeds: 1 }).plan
    const db = t.lab.ctx.db
    const mine = createStudy(db, { name: 'mine, not active', preset: 'seed-quick', plan })
    const dead = createStudy(db, { name: 'dead runner', preset: 'seed-quick', plan })
    const alive = createStudy(db, { name: 'other live runner', preset: 'seed-quick', plan })
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid! // has exited
    db.prepare('UPDATE studies SET runner_pid = ? WHERE id = ?').run(deadPid, dead)
    db.prepare('UPDATE studies SET runner_pid = ? WHERE id = ?').run(process.ppid, alive)
    const status = Object.fromEntries((await t.api.request('studies.list', {})).map((s) => [s.id, s.status]))
    expect(status).toEqual({ [mine]: 'interrupted', [dead]: 'interrupted', [alive]: 'running' })
    const study = await t.api.request('studies.get', { id: dead })
    expect(study.error).toContain('AdvLab stopped while the study was running')
    const cancel = await t.api.call('studies.cancel', { id: alive })
    expect(cancel).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('run by another AdvLab process') }
    })
  })
})
