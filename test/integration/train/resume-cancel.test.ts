/**
 * Issue 16, "What was seen": a run cancelled at step 17 of 32 resumed silently from its last
 * periodic checkpoint, the charts then drew steps 17–32 twice, and the progress label read
 * "train: test: 32 of 64". Now a cancelled training checkpoints where it stopped, the resume
 * continues from that very step and says so, every series has each step once, and the progress
 * phase of a training run is its phase alone. On the real engine, with a tiny mlp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finished, testLab } from '../../support/lab'
import type { RunEvent } from '../../../src-main/api/runs'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('resume-cancel')
})
afterAll(() => t.close())

const factOf = (events: RunEvent[], kind: string) => events.filter((e) => e.fact?.kind === kind).map((e) => e.fact)

describe('a training run cancelled mid-way and resumed', () => {
  it('resumes at the step it was cancelled at, says so, and logs every step once', async () => {
    // 1024 images in batches of 16 over 2 epochs: 128 steps, test accuracy after each epoch.
    const run = await t.api.request('train.start', {
      dataset: 'mnist',
      subset: { train: 1024, test: 64 },
      model: { arch: 'mlp', width: 0.25 },
      epochs: 2,
      batchSize: 16,
      evalEveryEpoch: true,
      seed: 3
    })
    const progress: { phase: string; step: number; total: number }[] = []
    let cancelAsked = false
    const off = t.api.on('job.progress', (p) => {
      if (p.runId !== run.id) return
      progress.push({ phase: p.phase, step: p.step, total: p.total })
      if (p.step >= 10 && !cancelAsked) {
        cancelAsked = true
        void t.api.request('runs.cancel', { id: run.id })
      }
    })
    expect((await finished(t.api, run.id)).status).toBe('cancelled')

    const cancelled = factOf(await t.api.request('runs.events', { id: run.id }), 'cancelled')
    expect(cancelled).toHaveLength(1)
    const at = (cancelled[0] as { at: { step: number; total: number } }).at
    expect(at.total).toBe(128)
    expect(at.step).toBeGreaterThanOrEqual(10)
    expect(at.step).toBeLessThan(128)
    const [before] = await t.api.request('runs.metrics', { id: run.id, names: ['train/loss'] })
    expect(before.steps).toEqual(Array.from({ length: at.step }, (_, i) => i + 1))

    const resumedFrom = progress.length
    await t.api.request('runs.resume', { id: run.id })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    off()

    const events = await t.api.request('runs.events', { id: run.id })
    // The checkpoint of the cancelled step, not an earlier periodic one.
    expect(factOf(events, 'resumed')).toEqual([{ kind: 'resumed', at: { step: at.step, total: 128 } }])
    expect(events.find((e) => e.fact?.kind === 'resumed')!.message).toBe(`Resumed from the checkpoint at step ${at.step} of 128.`)
    // The first training progress after the resume is where it resumes, before any new step.
    expect(progress.slice(resumedFrom).find((p) => p.phase === 'train')).toEqual({ phase: 'train', step: at.step, total: 128 })
    // Every series holds each step once; the loss is one continuous series 1…128.
    const all = await t.api.request('runs.metrics', { id: run.id })
    for (const s of all) expect(new Set(s.steps).size, s.name).toBe(s.steps.length)
    expect(all.find((s) => s.name === 'train/loss')!.steps).toEqual(Array.from({ length: 128 }, (_, i) => i + 1))
    expect(all.find((s) => s.name === 'test/accuracy')!.steps).toEqual([64, 128])
    // Testing after an epoch is still the "train" phase ("train: test" read "train: test: 32 of 64").
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['loading data', 'train']))
    // The summary is a fact the screen writes in words, beside the JSON line scripts read.
    const [completed] = factOf(events, 'completed') as { figures: Record<string, number> }[]
    expect(Object.keys(completed.figures)).toEqual(['testAccuracy', 'trainAccuracy', 'steps', 'workers'])
    expect(completed.figures.steps).toBe(128)
  })
})
