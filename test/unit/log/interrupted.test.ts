/** Runs found `queued` or `running` at start-up: interrupted when their process is gone, left alone when it lives. */
import { afterEach, describe, expect, it } from 'vitest'
import { createRun, getRun, markInterruptedRuns, setRunStatus } from '../../../src-main/lab/store/runs'
import { addRun, baseConfig, freshLog, type Lab } from './fixtures'

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

describe('markInterruptedRuns and queued runs', () => {
  it('marks queued runs of dead or unknown processes interrupted, saying they never started, and leaves a live process’s queued run queued', () => {
    lab = freshLog()
    const add = (name: string, pid: number | null) => {
      const id = createRun(lab.db, { name, kind: 'train', config: baseConfig(), seed: 0 })
      lab.db.prepare('UPDATE runs SET runner_pid = ? WHERE id = ?').run(pid, id)
      return id
    }
    const live = add('queued by a live process', 1)
    const dead = add('queued by a killed process', 2 ** 22 + 1)
    const unknown = add('queued by an older AdvLab', null)
    expect(markInterruptedRuns(lab.db).sort()).toEqual([dead, unknown])
    expect(getRun(lab.db, live).status).toBe('queued')
    expect(getRun(lab.db, dead).status).toBe('interrupted')
    expect(getRun(lab.db, dead).error).toBe('AdvLab stopped before this run started; resume it to run it.')
  })

  it('records the creating process on a queued run, so another AdvLab sharing the log can tell it is alive', () => {
    lab = freshLog()
    const id = createRun(lab.db, { name: 'fresh', kind: 'train', config: baseConfig(), seed: 0 })
    expect(lab.db.prepare('SELECT runner_pid FROM runs WHERE id = ?').pluck().get(id)).toBe(process.pid)
    setRunStatus(lab.db, id, 'queued', { error: null })
    expect(lab.db.prepare('SELECT runner_pid FROM runs WHERE id = ?').pluck().get(id)).toBe(process.pid)
  })
})
