/**
 * The Runs table as pure functions, models first: rows from runs.overview with their measurements
 * nested, the results table's headline shown as it comes, filtering and sorting (missing values
 * last) over any column, grouping by study or any key, configs aligned across run kinds, the
 * column chooser's choices and saved views.
 */
import { describe, expect, it } from 'vitest'
import type { MeasurementRun, OverviewModel, RunsOverview } from '@api/runs-overview'
import { loadRenderer } from './loadRenderer'

type Row = {
  id: number
  name: string
  kind: string
  status: string
  dataset: string | null
  defence: string
  tags: string[]
  cleanAccuracy: number | null
  robustAccuracy: number | null
  robustLabel: string | null
  verdict: string | null
  progress: unknown
  config: Record<string, unknown>
  measurements: { id: number; kind: string; progress: unknown }[]
}
const rows = await loadRenderer<{
  buildRows(o: RunsOverview | null, live?: Record<number, unknown>): Row[]
  activeRuns(r: Row[], unattached?: MeasurementRun[], live?: Record<number, unknown>): { id: number }[]
  filterRows(r: Row[], f: Record<string, string>): Row[]
  sortRows(r: Row[], key: string, dir: 'asc' | 'desc'): Row[]
  EMPTY_FILTER: Record<string, string>
}>('runs/rows')
const columns = await loadRenderer<{
  columnChoices(r: Row[]): { fields: string[]; config: string[]; metrics: string[] }
  cellText(r: Row, key: string): string
  KEY_COLUMNS: readonly string[]
}>('runs/columns')
const groups = await loadRenderer<{
  groupRows(r: Row[], by: string, studies?: unknown[]): { key: string; value: string | null; rows: Row[] }[]
}>('runs/groups')
const align = await loadRenderer<{ alignConfig(kind: string, flat: Record<string, unknown>): Record<string, unknown> }>('runs/alignConfig')
/** The part of the browser's localStorage the saved views use. */
type Storage = { getItem(k: string): string | null; setItem(k: string, v: string): void }
const views = await loadRenderer<{
  loadSavedViews(s: Storage): { name: string; columns: string[] }[]
  saveView(s: Storage, name: string, v: unknown): { name: string }[]
  deleteView(s: Storage, name: string): { name: string }[]
  loadCurrentView(s: Storage): { columns: string[]; groupBy: string; sortKey: string }
}>('runs/savedViews')

function measurement(id: number, kind: string, status: MeasurementRun['status'] = 'completed', targets: number[] = []): MeasurementRun {
  return { id, name: `${kind} ${id}`, kind, status, createdAt: '', error: null, progress: null, targetRunIds: targets }
}
function model(id: number, extra: Partial<OverviewModel> = {}): OverviewModel {
  return {
    id,
    name: `run ${id}`,
    kind: 'train',
    status: 'completed',
    seed: 0,
    configHash: `h${id}`,
    createdAt: '',
    finishedAt: null,
    error: null,
    progress: null,
    dataset: 'mnist',
    arch: 'cnn-small',
    defence: 'none',
    tags: [],
    starred: false,
    config: { 'optimizer.lr': 0.1 },
    metrics: {},
    headline: { runId: id, clean: null, robust: null, verdict: null },
    studyIds: [],
    measurements: [],
    ...extra
  }
}

const overview: RunsOverview = {
  models: [
    model(3, { status: 'running', progress: { phase: 'train', step: 1, total: 10, etaSeconds: 5 } }),
    model(2, {
      dataset: 'fashion-mnist',
      defence: 'pgd-at',
      headline: {
        runId: 2,
        clean: 0.8,
        robust: { accuracy: 0.5, attack: 'fgsm', norm: 'Linf', epsilon: 0.1, label: 'FGSM (ε=0.1)' },
        verdict: null
      },
      studyIds: [9]
    }),
    model(1, {
      tags: ['seed-study'],
      headline: {
        runId: 1,
        clean: 0.9,
        robust: { accuracy: 0.05, attack: 'pgd', norm: 'Linf', epsilon: 0.3, label: 'PGD (ε=0.3)' },
        verdict: 'no'
      },
      measurements: [measurement(5, 'sweep'), measurement(4, 'attack', 'running')],
      metrics: { 'test/accuracy': 0.912345 },
      studyIds: [9]
    })
  ],
  studies: [{ id: 9, name: 'seed-quick', preset: 'seed-quick', status: 'completed', createdAt: '' }],
  unattached: [measurement(6, 'eval', 'queued')]
}
const built = rows.buildRows(overview, {
  3: { phase: 'train', step: 4, total: 10, etaSeconds: 2 },
  4: { phase: 'pgd', step: 2, total: 3, etaSeconds: 1 }
})

describe('Runs table rows, models first', () => {
  it('has one row per model, its attacks and sweeps nested under it rather than rows of their own', () => {
    expect(built.map((r) => r.id)).toEqual([3, 2, 1])
    expect(built[2].measurements.map((m) => [m.id, m.kind])).toEqual([
      [5, 'sweep'],
      [4, 'attack']
    ])
    expect(built.every((r) => !['attack', 'eval', 'sweep'].includes(r.kind))).toBe(true)
  })

  it('shows the service’s clean accuracy, robust accuracy and verdict as they come', () => {
    expect(built.map((r) => [r.id, r.cleanAccuracy, r.robustAccuracy, r.verdict])).toEqual([
      [3, null, null, null],
      [2, 0.8, 0.5, null],
      [1, 0.9, 0.05, 'no']
    ])
    expect(built[2].robustLabel).toBe('PGD (ε=0.3)')
  })

  it('a running model or measurement shows the newest streamed progress; every active run is listed once', () => {
    expect(built[0].progress).toEqual({ phase: 'train', step: 4, total: 10, etaSeconds: 2 })
    expect(built[2].measurements[1].progress).toEqual({ phase: 'pgd', step: 2, total: 3, etaSeconds: 1 })
    expect(built[1].progress).toBeNull()
    expect(rows.activeRuns(built, overview.unattached).map((r) => r.id)).toEqual([6, 4, 3])
  })

  it('filters by status, dataset, defence, tag and free text', () => {
    const ids = (f: Record<string, string>) => rows.filterRows(built, { ...rows.EMPTY_FILTER, ...f }).map((r) => r.id)
    expect(ids({ status: 'running' })).toEqual([3])
    expect(ids({ dataset: 'fashion-mnist' })).toEqual([2])
    expect(ids({ defence: 'none' })).toEqual([3, 1])
    expect(ids({ tag: 'seed-study' })).toEqual([1])
    expect(ids({ text: 'SEED' })).toEqual([1])
    expect(ids({ text: '2' })).toEqual([2])
  })

  it('sorts by any column — a field, a metric — in both directions with missing values always last', () => {
    expect(rows.sortRows(built, 'cleanAccuracy', 'desc').map((r) => r.id)).toEqual([1, 2, 3])
    expect(rows.sortRows(built, 'cleanAccuracy', 'asc').map((r) => r.id)).toEqual([2, 1, 3])
    expect(rows.sortRows(built, 'robustAccuracy', 'asc').map((r) => r.id)).toEqual([1, 2, 3])
    expect(rows.sortRows(built, 'metric:test/accuracy', 'asc').map((r) => r.id)).toEqual([1, 2, 3])
  })
})

describe('columns, groups and views', () => {
  it('the key columns are the ones a reader needs at 1280 px; the chooser offers every config key and metric', () => {
    expect(columns.KEY_COLUMNS).toEqual(['name', 'dataset', 'arch', 'defence', 'cleanAccuracy', 'robustAccuracy', 'verdict'])
    const choices = columns.columnChoices(built)
    expect(choices.config).toEqual(['config:optimizer.lr'])
    expect(choices.metrics).toEqual(['metric:test/accuracy'])
    expect(columns.cellText(built[2], 'metric:test/accuracy')).toBe('0.9123')
    expect(columns.cellText(built[1], 'metric:test/accuracy')).toBe('—')
  })

  it('groups by study (models in no study last) or by any key', () => {
    const byStudy = groups.groupRows(built, 'study', overview.studies)
    expect(byStudy.map((g) => [g.value, g.rows.map((r) => r.id)])).toEqual([
      ['seed-quick', [2, 1]],
      [null, [3]]
    ])
    expect(groups.groupRows(built, 'dataset').map((g) => [g.value, g.rows.length])).toEqual([
      ['mnist', 2],
      ['fashion-mnist', 1]
    ])
    expect(groups.groupRows(built, 'config:optimizer.lr').map((g) => g.value)).toEqual(['0.1'])
    expect(groups.groupRows(built, '')).toHaveLength(1)
  })

  it('aligns a distillation’s student settings (and a wrapped model’s source) with a training run’s', () => {
    expect(
      align.alignConfig('distill', { 'student.optimizer.lr': 0.05, 'student.epochs': 3, temperature: 20, 'teacher.epochs': 2 })
    ).toEqual({ 'optimizer.lr': 0.05, epochs: 3, temperature: 20, 'teacher.epochs': 2 })
    expect(align.alignConfig('wrapped', { 'defence.kind': 'quantisation', 'source.defence.kind': 'none', 'source.epochs': 1 })).toEqual({
      'defence.kind': 'quantisation',
      epochs: 1
    })
    expect(align.alignConfig('train', { 'optimizer.lr': 0.1 })).toEqual({ 'optimizer.lr': 0.1 })
  })

  it('saves, replaces and deletes named views, and survives a broken stored value', () => {
    const data = new Map<string, string>()
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v)
    } as unknown as Storage
    const view = { columns: ['config:optimizer.lr'], groupBy: 'dataset', sortKey: 'id', direction: 'desc' }
    views.saveView(storage, 'lr sweep', view)
    views.saveView(storage, 'by arch', { ...view, groupBy: 'arch' })
    expect(views.saveView(storage, 'lr sweep', { ...view, columns: [] }).map((v) => v.name)).toEqual(['by arch', 'lr sweep'])
    expect(views.loadSavedViews(storage).find((v) => v.name === 'lr sweep')!.columns).toEqual([])
    expect(views.deleteView(storage, 'by arch').map((v) => v.name)).toEqual(['lr sweep'])
    data.set('advlab.runs.views', '{not json')
    data.set('advlab.runs.current', '"x"')
    expect(views.loadSavedViews(storage)).toEqual([])
    expect(views.loadCurrentView(storage)).toMatchObject({ columns: [], groupBy: 'study', sortKey: 'id' })
  })
})
