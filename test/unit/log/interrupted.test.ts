/** Runs found `running` at start-up: interrupted when their process is gone, left alone when it lives. */
import { afterEach, describe, expect, it } from 'vitest'
import { getRun, markInterruptedRuns } from '../../../src-main/lab/store/runs'
import { addRun, freshLog, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

describe('markInterruptedRuns', () => {
  it('marks runs of dead or unknown processes interrupted and leaves a live process’s run running', () => {
    lab = freshLog()
    const live = addRun(lab.db, { name: 'live', status: 'running' })
    const dead = addRun(lab.db, { name: 'dead', status: 'running' })
    const unknown = addRun(lab.db, { name: 'unknown', status: 'running' })
    const done = addRun(lab.db, { name: 'done' })
    // pid 1 (init) is always alive; 2^22+1 is above Linux's pid_max, so never a live process.
    lab.db.prepare('UPDATE runs SET runner_pid = 1 WHERE id = ?').run(live)
    lab.db.prepare('UPDATE runs SET runner_pid = ? WHERE id = ?').run(2 ** 22 + 1, dead)
    lab.db.prepare('UPDATE runs SET runner_pid = NULL WHERE id = ?').run(unknown)
    expect(markInterruptedRuns(lab.db).sort()).toEqual([dead, unknown])
    expect(getRun(lab.db, live).status).toBe('running')
    expect(getRun(lab.db, dead).status).toBe('interrupted')
    expect(getRun(lab.db, dead).error).toMatch(/resume it/)
    expect(getRun(lab.db, done).status).toBe('completed')
  })
})
