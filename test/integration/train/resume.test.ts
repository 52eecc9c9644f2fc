/**
 * SIGKILL during training, restart, resume: the run finishes from its last checkpoint and its log
 * shows one continuous series of steps (no gaps, no repeats).
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { finished, testLab } from '../../support/lab'
import { killed } from '../../support/child'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')

describe('a training run killed with SIGKILL', () => {
  it('is marked interrupted at the next start and, resumed, finishes with one continuous series of steps', async () => {
    const { dir, cleanup } = tempDir('resume')
    const config = path.join(dir, 'run.json')
    fs.writeFileSync(
      config,
      // cnn-small (data-parallel by default): its steps are slow enough that the kill lands mid-run.
      JSON.stringify({
        dataset: 'mnist',
        subset: { train: 640, test: 200 },
        model: { arch: 'cnn-small', width: 0.5 },
        epochs: 4,
        batchSize: 32,
        seed: 5,
        optimizer: { kind: 'sgd', lr: 0.05 }
      })
    )
    const dataDir = path.join(dir, 'data')
    const child = spawn(process.execPath, ['bin/lab.mjs', 'train', config, '--data-dir', dataDir], { cwd: root, stdio: 'ignore' })
    const checkpoints = path.join(dataDir, 'runs/1/checkpoints')
    // Kill it once the first epoch's checkpoint is on disk (somewhere in epoch 2).
    const deadline = Date.now() + 90_000
    while (!(fs.existsSync(checkpoints) && fs.readdirSync(checkpoints).some((f) => f.endsWith('.safetensors')))) {
      if (Date.now() > deadline) throw new Error('no checkpoint appeared within 90 s')
      await new Promise((r) => setTimeout(r, 50))
    }
    await new Promise((r) => setTimeout(r, 300))
    await killed(child, 'SIGKILL')

    const t = testLab('resume', dataDir)
    const interrupted = await t.api.request('runs.get', { id: 1 })
    expect(interrupted.status).toBe('interrupted')
    const before = await t.api.request('runs.metrics', { id: 1, names: ['train/loss'] })
    expect(before[0].steps.length).toBeGreaterThanOrEqual(20)
    expect(before[0].steps.length).toBeLessThan(80)

    await t.api.request('runs.resume', { id: 1 })
    const done = await finished(t.api, 1)
    expect(done.status).toBe('completed')
    const [loss] = await t.api.request('runs.metrics', { id: 1, names: ['train/loss'] })
    expect(loss.steps).toEqual(Array.from({ length: 80 }, (_, i) => i + 1))
    const [testAccuracy] = await t.api.request('runs.metrics', { id: 1, names: ['test/accuracy'] })
    expect(testAccuracy.steps).toEqual([20, 40, 60, 80])
    const events = await t.api.request('runs.events', { id: 1 })
    expect(events.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Resumed from the checkpoint at step (20|40|60) of 80\.$/)])
    )
    await t.close()
    cleanup()
  })
})
