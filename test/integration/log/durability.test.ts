/**
 * Durability: a writer process is killed with SIGKILL at 20 random moments during heavy logging.
 * After each kill the log passes PRAGMA integrity_check, holds every row whose transaction the
 * writer reported committed, and the killed run is found `running` and marked `interrupted`.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openLog } from '../../../src-main/lab/store/open'
import { getRun, markInterruptedRuns } from '../../../src-main/lab/store/runs'
import { tempDir } from '../../support/temp'

const here = path.dirname(fileURLToPath(import.meta.url))
const CHILD = path.join(here, 'durability-writer.ts')
const NAMES = 5
const KILLS = 20

const t = tempDir('durability')
afterAll(() => t.cleanup())

/** Runs the writer, kills it `delayMs` after its first commit, returns what it said it committed. */
function runAndKill(delayMs: number): Promise<{ runId: number; lastStep: number; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let armed = false
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (!armed && out.includes('committed ')) {
        armed = true
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited with ${code}: ${err}`))
      const lines = out.split('\n').filter((l) => l.startsWith('committed '))
      // The last line may be cut by the kill; only whole lines are claims.
      const whole = out.endsWith('\n') ? lines : lines.slice(0, -1)
      const last = whole.at(-1)?.split(' ') ?? ['committed', out.match(/run (\d+)/)?.[1] ?? '0', '-1']
      resolve({ runId: Number(last[1]), lastStep: Number(last[2]), pid: child.pid as number })
    })
  })
}

describe('the log under SIGKILL', () => {
  it(`keeps every committed row and stays intact across ${KILLS} kills at random moments`, async () => {
    const delays: number[] = []
    for (let i = 0; i < KILLS; i++) {
      const delay = Math.floor(Math.random() * 400)
      delays.push(delay)
      const claim = await runAndKill(delay)
      const { db, setAside } = openLog(t.dir)
      try {
        expect(setAside, `kill ${i} (after ${delay} ms) left a log that had to be set aside`).toBeNull()
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        const present = db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ? AND step <= ?').get(claim.runId, claim.lastStep) as {
          n: number
        }
        expect(present.n, `kill ${i}: run ${claim.runId} committed through step ${claim.lastStep}`).toBe(NAMES * (claim.lastStep + 1))
        // The writer is dead, so its run, left `running`, is marked interrupted at start-up.
        expect(getRun(db, claim.runId).status).toBe('running')
        expect(markInterruptedRuns(db)).toContain(claim.runId)
        expect(getRun(db, claim.runId).status).toBe('interrupted')
      } finally {
        db.close()
      }
    }
    expect(delays).toHaveLength(KILLS)
  }, 300_000)
})
