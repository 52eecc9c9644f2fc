/** Fixtures for the log tests: a real log in a temp dir, filled through the store's own functions. */
import type Database from 'better-sqlite3'
import { openLog } from '../../../src-main/lab/store/open'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { logEvent } from '../../../src-main/lab/store/events'
import { writeEvalRecord } from '../../../src-main/lab/store/evaluations'
import { tempDir } from '../../support/temp'
import { findDatasetRecord, insertDataset, type DatasetInfo } from '../../../src-main/lab/store/datasets'

export interface Lab {
  db: Database.Database
  dir: string
  cleanup: () => void
}

export function freshLog(label = 'log'): Lab {
  const t = tempDir(label)
  const { db } = openLog(t.dir)
  return { db, dir: t.dir, cleanup: () => (db.open && db.close(), t.cleanup()) }
}

export interface RunSpec {
  name: string
  config?: Record<string, unknown>
  seed?: number
  kind?: string
  /** metric name → values at steps 0, 1, 2, … */
  metrics?: Record<string, number[]>
  /** [attack, norm, epsilon, accuracy, n?, per-sample correctness under attack?] */
  evals?: Array<[string, string, number, number, number?, boolean[]?]>
  verdict?: { verdict: 'no' | 'possible' | 'yes'; fired: number[] }
  status?: 'completed' | 'running' | 'failed'
}

export const baseConfig = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  dataset: 'mnist',
  model: { arch: 'cnn-small', width: 1 },
  optimizer: { kind: 'sgd', lr: 0.1 },
  epochs: 1,
  batchSize: 64,
  ...over
})

/** The id of a dataset row named `name` (made on first use), as the service files a run under the dataset it names. */
export function datasetNamed(db: Database.Database, name: string): number {
  const found = findDatasetRecord(db, name)
  if (found) return found.id
  const info = {
    splits: { train: 100, test: 10 },
    shape: { height: 28, width: 28, channels: 1 },
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    classCounts: {},
    mean: [0.5],
    std: [0.5],
    builtin: null,
    notes: [],
    files: [],
    preview: null
  }
  return insertDataset(db, {
    name,
    format: 'idx',
    sourcePath: `/datasets/${name}`,
    contentHash: `hash-of-${name}`,
    info: info as unknown as DatasetInfo
  })
}

export function addRun(db: Database.Database, spec: RunSpec): number {
  const seed = spec.seed ?? 0
  const config = spec.config ?? baseConfig()
  const named = config.dataset ?? (config.student as { dataset?: unknown } | undefined)?.dataset
  const datasetId = typeof named === 'string' ? datasetNamed(db, named) : null
  const id = createRun(db, { name: spec.name, kind: spec.kind ?? 'train', datasetId, config: { ...config, seed }, seed })
  setRunStatus(db, id, 'running', { backend: 'wasm' })
  const writer = new MetricWriter(db)
  for (const [name, values] of Object.entries(spec.metrics ?? {}))
    writer.add(
      id,
      values.map((value, step) => ({ name, step, value, time: 1_700_000_000 + step }))
    )
  writer.flush()
  logEvent(db, id, 'info', `run ${spec.name} logged`)
  // Results and verdicts are written as the evaluation jobs write them (one result row per seed).
  // The model run doubles as the producing eval run, which keeps the runs table to what a test names.
  for (const [attack, norm, epsilon, accuracy, n, correct] of spec.evals ?? []) {
    const samples = correct
      ? {
          indices: Int32Array.from(correct.map((_, i) => i)),
          labels: Int32Array.from(correct.map((_, i) => i % 10)),
          cleanPredictions: Int32Array.from(correct.map((_, i) => i % 10)),
          adversarialPredictions: Int32Array.from(correct.map((ok, i) => (ok ? i % 10 : (i + 1) % 10))),
          perturbationNorms: null
        }
      : undefined
    writeEvalRecord(db, id, {
      type: 'result',
      runId: id,
      attack,
      norm,
      epsilon,
      seed,
      n: n ?? 1000,
      accuracy,
      cleanAccuracy: null,
      params: { seed },
      seconds: null,
      samples
    })
  }
  if (spec.verdict)
    writeEvalRecord(db, id, { type: 'verdict', runId: id, verdict: spec.verdict.verdict, fired: spec.verdict.fired, checks: [] })
  if ((spec.status ?? 'completed') !== 'running') setRunStatus(db, id, spec.status ?? 'completed')
  return id
}

/** The seed study's four rows, three repeats each, with small seed-to-seed spread. */
export function seedStudy(db: Database.Database): { ids: number[]; groups: Record<string, number[]> } {
  type Verdict = 'no' | 'possible' | 'yes'
  const rows: Array<[string, Record<string, unknown>, string, number, number, number, Verdict, number[]]> = [
    ['Baseline', {}, 'train', 0.934, 0.218, 0.173, 'no', []],
    ['Defensive distill', { temperature: 20 }, 'distill', 0.926, 0.531, 0.248, 'possible', [5, 8]],
    [
      'Distill + PGD 5-step',
      { temperature: 20, defence: { kind: 'pgd-at', epsilon: 8 / 255, steps: 5 } },
      'distill',
      0.924,
      0.476,
      0.239,
      'possible',
      [8]
    ],
    ['Gradient-mask toy', { defence: { kind: 'gradient-truncation', backwardScale: 0 } }, 'train', 0.921, 0.712, 0.181, 'yes', [1, 4, 8]]
  ]
  const groups: Record<string, number[]> = {}
  const ids: number[] = []
  for (const [name, extra, kind, clean, fgsm, aa, verdict, fired] of rows) {
    groups[name] = []
    for (let seed = 0; seed < 3; seed++) {
      const d = (seed - 1) * 0.002
      const id = addRun(db, {
        name: `${name} seed ${seed}`,
        kind,
        seed,
        config: baseConfig(extra),
        metrics: { 'test/accuracy': [0.5, 0.8, clean + d], 'train/loss': [2, 1, 0.3 + d] },
        evals: [
          ['clean', 'Linf', 0, clean + d],
          // 20 samples whose outcomes follow the accuracy, shifted per group and seed.
          ['fgsm', 'Linf', 8 / 255, fgsm + d, 1000, Array.from({ length: 20 }, (_, i) => (i * 7 + seed + ids.length) % 10 < fgsm * 10)],
          ['pgd', 'Linf', 8 / 255, aa + 0.01 + d],
          ['autoattack', 'Linf', 8 / 255, aa + d]
        ],
        verdict: { verdict, fired }
      })
      groups[name].push(id)
      ids.push(id)
    }
  }
  return { ids, groups }
}
