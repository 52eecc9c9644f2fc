/**
 * The compare store on the real lab service: ε chosen per attack or one common ε for every attack,
 * both read from the one results table (results.table); the ε-curves keep every ε whatever the
 * table shows; the menus name attacks by their display names, never raw ids like "pgd-curve".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { LabService } from '@lab/service'
import { inProcessTransport } from '@lab/in-process-transport'
import type { ResultsTable } from '@api/results-table'
import { addRun } from '../log/fixtures'
import { loadRenderer } from './loadRenderer'
import type { ApiModule } from './rendererShapes'

const { installApi } = await loadRenderer<ApiModule>('api/index')
const { useCompareStore } = await loadRenderer<{
  useCompareStore(): {
    table: ResultsTable | null
    curveTable: ResultsTable | null
    choosable: { attack: string; name: string; epsilons: number[] }[]
    allEpsilons: number[]
    load(ids: number[]): Promise<void>
    chooseEpsilon(attack: string, value: string): void
    chooseCommonEpsilon(value: string): void
    loadTable(): Promise<void>
    loadStepTimes(name: string): Promise<void>
    stepTimes: { name: string; runs: { runId: number; steps: number[]; seconds: number[] }[] } | null
  }
}>('stores/compare')

let lab: LabService
let dataDir: string
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-renderer-compare-store-'))
  lab = new LabService({ dataDir })
  installApi(inProcessTransport(lab))
  setActivePinia(createPinia())
})
afterEach(async () => {
  await lab.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const titles = (t: ResultsTable | null) => t!.columns.map((c) => c.title)

describe('compare store', () => {
  it('chooses ε per attack or one common ε, from the results table; the curves keep every ε', async () => {
    const evals: Array<[string, string, number, number]> = [
      ['clean', 'Linf', 0, 0.98],
      ['fgsm', 'Linf', 0.1, 0.6],
      ['fgsm', 'Linf', 0.3, 0.2],
      ['pgd-curve', 'Linf', 0.1, 0.5],
      ['pgd-curve', 'Linf', 0.3, 0.01]
    ]
    const a = addRun(lab.ctx.db, { name: 'a', metrics: { 'test/accuracy': [0.97] }, evals })
    const b = addRun(lab.ctx.db, { name: 'b', seed: 1, metrics: { 'test/accuracy': [0.96] }, evals })
    const store = useCompareStore()
    await store.load([a, b])
    expect(store.choosable.map((c) => [c.attack, c.name])).toEqual([
      ['fgsm', 'FGSM'],
      ['pgd-curve', 'PGD ε-curve']
    ])
    expect(store.allEpsilons).toEqual([0.1, 0.3])

    store.chooseEpsilon('fgsm', '0.3')
    await store.loadTable()
    expect(titles(store.table)).toEqual(['clean', 'FGSM (ε=0.3)', 'PGD ε-curve (ε=0.1)', 'PGD ε-curve (ε=0.3)'])

    store.chooseCommonEpsilon('0.1')
    await store.loadTable()
    expect(titles(store.table)).toEqual(['clean', 'FGSM (ε=0.1)', 'PGD ε-curve (ε=0.1)'])
    // The ε-curves read the table at every ε, whatever the table shows.
    expect(titles(store.curveTable)).toHaveLength(5)
  })

  it('times a series’ points for x by time: seconds since each run’s first point, from the log', async () => {
    // The fixture logs step k at 1.7e9 + k seconds.
    const a = addRun(lab.ctx.db, { name: 'a', metrics: { 'train/loss': [2.3, 1.1, 0.7] } })
    const store = useCompareStore()
    await store.load([a])
    await store.loadStepTimes('train/loss')
    expect(store.stepTimes).toEqual({ name: 'train/loss', runs: [{ runId: a, steps: [0, 1, 2], seconds: [0, 1, 2] }] })
  })
})
