/**
 * The runs store on the real lab service (in-process transport, temporary log): the Runs screen's
 * list is one request (runs.overview), not runs.list + runs.select + results.table, and its rows
 * are the models with their measurements nested.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { LabService } from '@lab/service'
import { inProcessTransport } from '@lab/in-process-transport'
import { addRun } from '../log/fixtures'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { loadRenderer } from './loadRenderer'
import type { ApiModule } from './rendererShapes'

const { installApi } = await loadRenderer<ApiModule>('api/index')
const { useRunsStore } = await loadRenderer<{
  useRunsStore(): {
    rows: { id: number; kind: string; cleanAccuracy: number | null; measurements: { id: number }[] }[]
    active: { id: number }[]
    load(): Promise<void>
    remove(ids: number[]): Promise<void>
  }
}>('stores/runs')

let lab: LabService
let dataDir: string
let asked: string[] = []

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-renderer-runs-store-'))
  lab = new LabService({ dataDir })
  const transport = inProcessTransport(lab)
  asked = []
  installApi({ ...transport, request: (method, params) => (asked.push(String(method)), transport.request(method, params)) })
  setActivePinia(createPinia())
})
afterEach(async () => {
  await lab.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('runs store', () => {
  it('loads the Runs table in one request, models first with their measurements nested', async () => {
    const model = addRun(lab.ctx.db, {
      name: 'baseline',
      evals: [
        ['clean', 'Linf', 0, 0.97],
        ['pgd', 'Linf', 0.3, 0.1]
      ]
    })
    const attack = createRun(lab.ctx.db, { name: 'pgd of baseline', kind: 'attack', config: { targetRunIds: [model] }, seed: 0 })
    setRunStatus(lab.ctx.db, attack, 'running', { backend: 'wasm' })
    const store = useRunsStore()
    await store.load()
    expect(asked).toEqual(['runs.overview'])
    expect(store.rows.map((r) => [r.id, r.kind, r.cleanAccuracy])).toEqual([[model, 'train', 0.97]])
    expect(store.rows[0].measurements.map((m) => m.id)).toEqual([attack])
    // A running measurement still counts among the active runs (the home screen lists it).
    expect(store.active.map((r) => r.id)).toEqual([attack])
  })

  it('a deleted measurement leaves its model’s nested list at once', async () => {
    const model = addRun(lab.ctx.db, { name: 'baseline' })
    const attack = createRun(lab.ctx.db, { name: 'attack', kind: 'attack', config: { targetRunIds: [model] }, seed: 0 })
    setRunStatus(lab.ctx.db, attack, 'running', { backend: 'wasm' })
    setRunStatus(lab.ctx.db, attack, 'completed')
    const store = useRunsStore()
    await store.load()
    await store.remove([attack])
    expect(store.rows[0].measurements).toEqual([])
  })
})
