import { afterEach, describe, expect, it } from 'vitest'
import { openLog } from '../../../src-main/lab/store/open'
import { configHash, createRun, getRun, listRuns, markInterruptedRuns, setRunStatus } from '../../../src-main/lab/store/runs'
import { tempDir } from '../../support/temp'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function db() {
  const t = tempDir('runs')
  const log = openLog(t.dir)
  cleanups.push(() => {
    log.db.close()
    t.cleanup()
  })
  return log.db
}
const newRun = (d: ReturnType<typeof db>, seed = 0) =>
  createRun(d, { name: 'r', kind: 'train', config: { epochs: 1, seed, model: { arch: 'mlp' } }, seed })

describe('runs in the log', () => {
  it('share a config hash when only the seed or the key order differs (repeats of one experiment)', () => {
    expect(configHash({ a: 1, b: { c: 2, d: 3 }, seed: 1 })).toBe(configHash({ b: { d: 3, c: 2 }, a: 1, seed: 2 }))
    expect(configHash({ a: 1, seed: 1 })).not.toBe(configHash({ a: 2, seed: 1 }))
  })

  it("treat a study's seeds as repeats: names, projects and links to teachers or sources are not the experiment (seed-quick showed one row per seed)", () => {
    const baseline = (seed: number) => ({
      name: `seed-quick · Baseline · seed ${seed}`,
      projectId: seed,
      dataset: 'MNIST',
      optimizer: { kind: 'sgd', lr: 0.025 },
      seed
    })
    expect(configHash(baseline(1))).toBe(configHash(baseline(2)))
    const student = (seed: number) => ({ teacherRunId: 10 + seed, student: baseline(seed), temperature: 20, alpha: 0.7 })
    expect(configHash(student(1))).toBe(configHash(student(3)))
    const toy = (seed: number) => ({ sourceRunId: seed, defence: { kind: 'gradient-truncation' }, source: baseline(seed) })
    expect(configHash(toy(1))).toBe(configHash(toy(2)))
    expect(configHash(student(1))).not.toBe(configHash({ ...student(1), temperature: 10 }))
    expect(configHash(toy(1))).not.toBe(configHash({ ...toy(1), source: { ...baseline(1), optimizer: { kind: 'sgd', lr: 0.1 } } }))
  })

  it('rehash a log written under the old rule once, when it is opened', () => {
    const t = tempDir('rehash')
    cleanups.push(t.cleanup)
    const first = openLog(t.dir).db
    const a = createRun(first, { name: 'a · seed 1', kind: 'train', config: { lr: 1, name: 'a · seed 1', seed: 1 }, seed: 1 })
    const b = createRun(first, { name: 'a · seed 2', kind: 'train', config: { lr: 1, name: 'a · seed 2', seed: 2 }, seed: 2 })
    // As an older AdvLab left it: hashes that differ by name, and no record of the rule.
    first.prepare("UPDATE runs SET config_hash = 'old-' || id").run()
    first.prepare("DELETE FROM settings WHERE key = 'configHashRule'").run()
    first.close()
    const again = openLog(t.dir).db
    expect(getRun(again, a).configHash).toBe(getRun(again, b).configHash)
    expect(getRun(again, a).configHash).toBe(configHash({ lr: 1 }))
    again.close()
  })

  it('stamp start and finish times as their status moves, and clear the error when running again', () => {
    const d = db()
    const id = newRun(d)
    setRunStatus(d, id, 'running', { backend: 'wasm' })
    expect(getRun(d, id)).toMatchObject({ status: 'running', backend: 'wasm', startedAt: expect.any(String), finishedAt: null })
    setRunStatus(d, id, 'failed', { error: 'boom' })
    expect(getRun(d, id)).toMatchObject({ status: 'failed', error: 'boom', finishedAt: expect.any(String) })
    setRunStatus(d, id, 'running')
    expect(getRun(d, id)).toMatchObject({ status: 'running', error: null, finishedAt: null })
  })

  it('mark interrupted only the runs whose process is gone, never those of a live AdvLab sharing the log', () => {
    const d = db()
    const mine = newRun(d)
    const other = newRun(d, 1)
    const orphan = newRun(d, 2)
    setRunStatus(d, mine, 'running')
    setRunStatus(d, other, 'running')
    setRunStatus(d, orphan, 'running')
    d.prepare('UPDATE runs SET runner_pid = ? WHERE id = ?').run(424242, other)
    d.prepare('UPDATE runs SET runner_pid = ? WHERE id = ?').run(999999, orphan)
    const marked = markInterruptedRuns(d, (pid) => pid === 424242)
    expect(marked.sort()).toEqual([mine, orphan].sort())
    expect(getRun(d, other).status).toBe('running')
    expect(getRun(d, orphan)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('resume it') })
  })

  it('list newest first, filtered by status, without runs in the trash', () => {
    const d = db()
    const a = newRun(d)
    const b = newRun(d, 1)
    const c = newRun(d, 2)
    setRunStatus(d, b, 'completed')
    d.prepare('UPDATE runs SET deleted_at = ? WHERE id = ?').run(new Date().toISOString(), c)
    expect(listRuns(d, { limit: 10 }).map((r) => r.id)).toEqual([b, a])
    expect(listRuns(d, { status: 'completed', limit: 10 }).map((r) => r.id)).toEqual([b])
  })
})
