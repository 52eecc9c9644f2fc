/**
 * Issue 16's run detail, "What was seen": the events log repeated lines and printed
 * `Completed: {"testAccuracy":…}` as JSON; cancel showed no "cancelling" state; resume said nothing
 * of where it resumed; the live charts drew the resumed steps twice. The pure parts (event lines,
 * merged points) in both languages, and the run detail store on the real lab service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { LabService } from '@lab/service'
import { inProcessTransport } from '@lab/in-process-transport'
import type { MetricSeries, Run, RunEvent, RunStatus } from '@api/runs'
import { isFinalStatus } from '@api/runs'
import { isCertifiedBound } from '@api/certified'
import { loadRenderer } from './loadRenderer'
import type { ApiModule } from './rendererShapes'

type Translate = (key: string, named?: Record<string, unknown>) => string
const lines = await loadRenderer<{
  mergeEvents(shown: RunEvent[], fetched: RunEvent[]): RunEvent[]
  eventText(event: RunEvent, t: Translate, language: string): string
  resumeNote(events: RunEvent[], status: RunStatus, t: Translate): string | null
}>('runs/eventLines')
const { appendPoints } = await loadRenderer<{
  appendPoints(series: MetricSeries[], points: { name: string; step: number; value: number }[]): MetricSeries[]
}>('charts/options')
const { createAppI18n } = await loadRenderer<{ createAppI18n(language: string): { global: { t: Translate } } }>('i18n/index')
const { installApi } = await loadRenderer<ApiModule>('api/index')
const { useRunDetailStore } = await loadRenderer<{
  useRunDetailStore(): {
    run: Run | null
    events: RunEvent[]
    cancelling: boolean
    open(id: number): Promise<void>
    close(): void
    refresh(): Promise<void>
    cancel(): Promise<void>
  }
}>('stores/runDetail')

const en = createAppI18n('en').global.t
const zh = createAppI18n('zh-CN').global.t
const event = (id: number, message: string, fact?: RunEvent['fact']): RunEvent => ({
  id,
  level: 'info',
  message,
  time: 0,
  ...(fact ? { fact } : {})
})

describe('the events log', () => {
  it('shows each event once when two fetches overlap', () => {
    const first = [event(1, 'Started.'), event(2, 'train epoch 1/2')]
    const merged = lines.mergeEvents(first, [event(2, 'train epoch 1/2'), event(3, 'Completed.')])
    expect(merged.map((e) => e.id)).toEqual([1, 2, 3])
  })

  it('writes a completed run’s summary as labelled, formatted figures in the user’s language, not JSON', () => {
    const completed = event(9, 'Completed: {"testAccuracy":0.9125,"trainAccuracy":0.875,"steps":64,"workers":1}', {
      kind: 'completed',
      figures: { testAccuracy: 0.9125, trainAccuracy: 0.875, steps: 64, workers: 1 }
    })
    expect(lines.eventText(completed, en, 'en')).toBe('Completed: test accuracy 91.25%, train accuracy 87.50%, steps 64, threads 1.')
    expect(lines.eventText(completed, zh, 'zh-CN')).toBe('已完成：测试准确率 91.25%，训练准确率 87.50%，步数 64，线程数 1。')
    expect(lines.eventText(event(10, 'Completed.', { kind: 'completed', figures: {} }), zh, 'zh-CN')).toBe('已完成。')
    // A line without a fact is the log's own line.
    expect(lines.eventText(event(11, 'Started on the cpu backend (CPU).'), en, 'en')).toBe('Started on the cpu backend (CPU).')
  })

  it('writes cancel and resume with the step of the total', () => {
    expect(lines.eventText(event(4, '', { kind: 'cancelled', at: { step: 17, total: 32 } }), en, 'en')).toBe(
      'Cancelled by the user at step 17 of 32; a checkpoint was saved there.'
    )
    expect(lines.eventText(event(5, '', { kind: 'resumed', at: { step: 17, total: 32 } }), zh, 'zh-CN')).toBe(
      '已从第 17 步（共 32 步）的检查点恢复。'
    )
  })
})

describe('where a resume continues', () => {
  const cancelled = [event(1, ''), event(2, '', { kind: 'cancelled', at: { step: 17, total: 32 } })]
  it('a cancelled training says resume continues from the step it stopped at; once resumed, where it resumes', () => {
    expect(lines.resumeNote(cancelled, 'cancelled', en)).toBe('Cancelled at step 17 of 32; resume continues from that step.')
    expect(lines.resumeNote(cancelled, 'queued', en)).toBe('Resumes at step 17 of 32.')
    const resumed = [...cancelled, event(3, '', { kind: 'resumed', at: { step: 17, total: 32 } })]
    expect(lines.resumeNote(resumed, 'running', zh)).toBe('从第 17 步（共 32 步）恢复。')
    expect(lines.resumeNote([...resumed, event(4, '', { kind: 'completed', figures: {} })], 'completed', en)).toBeNull()
  })
})

describe('live training curves', () => {
  it('a resumed run’s repeated steps replace the earlier points instead of being drawn twice', () => {
    const before: MetricSeries[] = [{ name: 'train/loss', steps: [1, 2, 3, 4], values: [2, 1.8, 1.6, 1.5] }]
    // Resumed from step 2: steps 3 and 4 are computed again, then 5.
    const after = appendPoints(before, [
      { name: 'train/loss', step: 3, value: 1.65 },
      { name: 'train/loss', step: 4, value: 1.55 },
      { name: 'train/loss', step: 5, value: 1.4 }
    ])
    expect(after).toEqual([{ name: 'train/loss', steps: [1, 2, 3, 4, 5], values: [2, 1.8, 1.65, 1.55, 1.4] }])
  })
})

describe('certified bounds', () => {
  it('IBP is a certified bound, not an attack; attacks are not', () => {
    expect(isCertifiedBound('ibp')).toBe(true)
    expect(['clean', 'fgsm', 'pgd', 'pgd-curve', 'autoattack'].filter(isCertifiedBound)).toEqual([])
  })
})

describe('the run detail store on the real service', () => {
  let lab: LabService
  let dataDir: string
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-run-detail-'))
    lab = new LabService({ dataDir })
    installApi(inProcessTransport(lab))
    setActivePinia(createPinia())
  })
  afterAll(async () => {
    await lab.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('shows "cancelling" the moment cancel is pressed, then the cancelled step; its events once each however often they are fetched', async () => {
    const store = useRunDetailStore()
    const started = await lab.handle('train.start', {
      dataset: 'mnist',
      subset: { train: 4096, test: 64 },
      model: { arch: 'mlp', width: 0.25 },
      epochs: 4,
      batchSize: 8,
      seed: 1
    })
    if (!started.ok) throw new Error(started.error.message)
    const id = (started.result as Run).id
    await store.open(id)
    // Cancel once training is under way (the first training step reported).
    await new Promise<void>((resolve) => {
      const off = lab.subscribe((name, data) => {
        if (
          name === 'job.progress' &&
          (data as { runId: number; phase: string }).runId === id &&
          (data as { phase: string }).phase === 'train'
        ) {
          off()
          resolve()
        }
      })
    })
    await store.refresh()
    expect(store.run!.status).toBe('running')

    const cancel = store.cancel()
    expect(store.cancelling).toBe(true)
    await cancel
    for (let i = 0; i < 200 && !isFinalStatus(store.run!.status); i++) {
      await new Promise((r) => setTimeout(r, 50))
      await store.refresh()
    }
    expect(store.run!.status).toBe('cancelled')
    expect(store.cancelling).toBe(false)
    // Overlapping refreshes (each fetches the events) leave each line once.
    await Promise.all([store.refresh(), store.refresh(), store.refresh()])
    const ids = store.events.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    const note = lines.resumeNote(store.events, store.run!.status, en)
    expect(note).toMatch(/^Cancelled at step \d+ of 2048; resume continues from that step\.$/)
    store.close()
  })
})
