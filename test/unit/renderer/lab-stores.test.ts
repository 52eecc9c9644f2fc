/**
 * The lab screens' stores on the real lab service (in-process transport, temporary data dir):
 * datasets with their preview grids, a broken folder's error in the service's words with no
 * notice, the runs list and its coalesced reloads, and jobs cleared when their run ends.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { LabService } from '@lab/service'
import { inProcessTransport } from '@lab/in-process-transport'
import type { Dataset, DatasetPreview } from '@api/datasets'
import type { ApiError } from '@api/errors'
import { loadRenderer } from './loadRenderer'
import type { ApiModule } from './rendererShapes'

const { installApi, request } = await loadRenderer<ApiModule>('api/index')
const { useDatasetsStore } = await loadRenderer<{
  useDatasetsStore(): {
    datasets: Dataset[]
    loaded: boolean
    previews: Record<number, DatasetPreview>
    progress: unknown
    load(): Promise<void>
    loadPreview(id: number): Promise<void>
    detect(p: string): Promise<unknown>
    onProgress(p: { path: string; phase: 'reading'; step: number; total: number }): void
  }
}>('stores/datasets')
const { useRunsStore } = await loadRenderer<{
  useRunsStore(): {
    rows: unknown[]
    loaded: boolean
    load(): Promise<void>
    reloadSoon(): void
    onProgress(p: unknown): void
    liveProgress: Record<number, unknown>
  }
}>('stores/runs')
const { useJobsStore } = await loadRenderer<{
  useJobsStore(): { running: { jobId: number }[]; update(p: unknown): void; finishRun(id: number): void }
}>('stores/jobs')
const { useNoticesStore } = await loadRenderer<{ useNoticesStore(): { notices: unknown[] } }>('stores/notices')
const { keepStoresLive } = await loadRenderer<{
  keepStoresLive(c: { state(): string; onStateChange(l: unknown): () => void }): () => void
}>('stores/live')

let lab: LabService
let dataDir: string
let stop: () => void = () => {}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-renderer-lab-stores-'))
  lab = new LabService({ dataDir })
  installApi(inProcessTransport(lab))
  setActivePinia(createPinia())
  stop = keepStoresLive({ state: () => 'open', onStateChange: () => () => {} })
})
afterEach(() => {
  stop()
  lab.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('datasets store', () => {
  it('lists the built-in MNIST as the service reports it, and fetches its preview grid once', async () => {
    const store = useDatasetsStore()
    await store.load()
    const fromService = (await request('datasets.list', {})) as Dataset[]
    expect(store.datasets.map((d) => d.name)).toEqual(fromService.map((d) => d.name))
    const mnist = store.datasets.find((d) => d.builtin === 'mnist')!
    expect(mnist.splits).toEqual({ train: 60000, test: 10000 })
    await store.loadPreview(mnist.id)
    expect(store.previews[mnist.id].dataUrl.startsWith('data:image/png;base64,')).toBe(true)
    expect(store.previews[mnist.id].rows).toHaveLength(10)
  }, 60_000)

  it('a broken folder fails with the service’s own message and raises no notice', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-broken-'))
    fs.writeFileSync(path.join(folder, 'train-images-idx3-ubyte'), 'not an idx file')
    const store = useDatasetsStore()
    const error = (await store.detect(folder).catch((e: { error: ApiError }) => e.error)) as ApiError
    expect(error.code).toBe('bad_input')
    expect(error.message).toContain('train-images-idx3-ubyte')
    expect(useNoticesStore().notices).toEqual([])
    fs.rmSync(folder, { recursive: true, force: true })
  })

  it('registration progress is shown while reading and cleared at the end', () => {
    const store = useDatasetsStore()
    store.onProgress({ path: '/x', phase: 'reading', step: 10, total: 100 })
    expect(store.progress).toEqual({ path: '/x', phase: 'reading', step: 10, total: 100 })
    store.onProgress({ path: '/x', phase: 'reading', step: 100, total: 100 })
    expect(store.progress).toBeNull()
  })
})

describe('runs store', () => {
  it('an empty log gives an empty, loaded table', async () => {
    const store = useRunsStore()
    await store.load()
    expect(store.loaded).toBe(true)
    expect(store.rows).toEqual([])
  })

  it('progress of a job that belongs to no run is ignored; a run’s is kept until the next reload', () => {
    const store = useRunsStore()
    store.onProgress({ jobId: 1, runId: null, phase: 'x', step: 1, total: 2, etaSeconds: null })
    expect(store.liveProgress).toEqual({})
    store.onProgress({ jobId: 2, runId: 7, phase: 'train', step: 1, total: 2, etaSeconds: 3 })
    expect(store.liveProgress).toEqual({ 7: { phase: 'train', step: 1, total: 2, etaSeconds: 3 } })
  })
})

describe('jobs store', () => {
  it('a run that ended drops its job from the running list', () => {
    const jobs = useJobsStore()
    jobs.update({ jobId: 1, runId: 5, phase: 'train', step: 3, total: 10, etaSeconds: 4 })
    jobs.update({ jobId: 2, runId: 6, phase: 'train', step: 3, total: 10, etaSeconds: 4 })
    jobs.finishRun(5)
    expect(jobs.running.map((j) => j.jobId)).toEqual([2])
  })
})
