/** Fixtures for the log tests: a real log in a temp dir, filled through the store's own functions. */
import type Database from 'better-sqlite3'
import { openLog } from '../../../src-main/lab/store/open'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { logEvent } from '../../../src-main/lab/store/events'
import { tempDir } from '../../support/temp'

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
  /** [attack, norm, epsilon, accuracy, n?] */
  evals?: Array<[string, string, number, number, number?]>
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

export function addRun(db: Database.Database, spec: RunSpec): number {
  const seed = spec.seed ?? 0
  const id = createRun(db, { name: spec.name, kind: spec.kind ?? 'train', config: { ...(spec.config ?? baseConfig()), seed }, seed })
  setRunStatus(db, id, 'running', { backend: 'wasm' })
  const writer = new MetricWriter(db)
  for (const [name, values] of Object.entries(spec.metrics ?? {})) writer.add(id, values.map((value, step) => ({ name, step, value, time: 1_700_000_000 + step })))
  writer.flush()
  logEvent(db, id, 'info', `run ${spec.name} logged`)
  // eval_results rows are written as the evaluation code writes them: one row per seed.
  const insert = db.prepare('INSERT INTO eval_results (run_id, attack, norm, epsilon, n, accuracy, params_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  for (const [attack, norm, epsilon, accuracy, n] of spec.evals ?? []) insert.run(id, attack, norm, epsilon, n ?? 1000, accuracy, JSON.stringify({ seed }), new Date().toISOString())
  if ((spec.status ?? 'completed') !== 'running') setRunStatus(db, id, spec.status ?? 'completed')
  return id
}

/** The seed study's four rows, three repeats each, with small seed-to-seed spread. */
export function seedStudy(db: Database.Database): { ids: number[]; groups: Record<string, number[]> } {
  const rows: Array<[string, Record<string, unknown>, string, number, number, number]> = [
    ['Baseline', {}, 'train', 0.934, 0.218, 0.173],
    ['Defensive distill', { temperature: 20 }, 'distill', 0.926, 0.531, 0.248],
    ['Distill + PGD 5-step', { temperature: 20, defence: { kind: 'pgd-at', epsilon: 8 / 255, steps: 5 } }, 'distill', 0.924, 0.476, 0.239],
    ['Gradient-mask toy', { defence: { kind: 'gradient-truncation', backwardScale: 0 } }, 'train', 0.921, 0.712, 0.181]
  ]
  const groups: Record<string, number[]> = {}
  const ids: number[] = []
  for (const [name, extra, kind, clean, fgsm, aa] of rows) {
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
          ['fgsm', 'Linf', 8 / 255, fgsm + d],
          ['pgd', 'Linf', 8 / 255, aa + 0.01 + d],
          ['autoattack', 'Linf', 8 / 255, aa + d]
        ]
      })
      groups[name].push(id)
      ids.push(id)
    }
  }
  return { ids, groups }
}
