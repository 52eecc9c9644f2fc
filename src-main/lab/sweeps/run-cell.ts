/**
 * Running one cell of a sweep through the contract: register the datasets it names, train (or
 * distil) its model, evaluate it with the sweep's attacks × ε, and optionally write the runs as a
 * bundle. The same function serves a cluster task (`lab sweep cell`, one process per cell) and the
 * in-app sweep (`lab sweep local`, every cell in one log) — so both leave the same runs behind.
 */
import type { ApiClient } from '../../api/client'
import { runEnded } from '../../api/run-ended'
import { sweepCell, type SweepFile } from './sweep-file'


export interface CellResult {
  index: number
  label: string
  modelRunId: number
  evalRunId: number | null
  /** Every run the cell made, for the bundle. */
  runIds: number[]
  ok: boolean
  error: string | null
}

export async function runSweepCell(api: ApiClient, sweep: SweepFile, index: number, log: (t: string) => void = () => {}): Promise<CellResult> {
  const cell = sweepCell(sweep, index)
  for (const [name, path] of Object.entries(sweep.datasets)) {
    const known = (await api.request('datasets.list', {})).some((d) => d.name.toLowerCase() === name.toLowerCase())
    if (!known) await api.request('datasets.register', { path, name })
  }
  log(`cell ${index}: ${cell.label}`)
  const model = sweep.kind === 'distill' ? await api.request('distill.start', cell.config as never) : await api.request('train.start', cell.config as never)
  const trained = await runEnded(api, model.id)
  const result: CellResult = { index, label: cell.label, modelRunId: model.id, evalRunId: null, runIds: [model.id], ok: trained.status === 'completed', error: trained.error }
  if (!result.ok) {
    result.error = `run ${model.id} ${trained.status}${trained.error ? `: ${trained.error}` : ''}`
    return result
  }
  if (sweep.evaluate) {
    const e = sweep.evaluate
    const evalRun = await api.request('sweep.start', { runIds: [model.id], attacks: e.attacks, epsilons: e.epsilons, norm: e.norm, n: e.n, seed: e.seed, name: `${sweep.name} · ${cell.label} — attacks` })
    result.evalRunId = evalRun.id
    result.runIds.push(evalRun.id)
    const evaluated = await runEnded(api, evalRun.id)
    if (evaluated.status !== 'completed') {
      result.ok = false
      result.error = `evaluation run ${evalRun.id} ${evaluated.status}${evaluated.error ? `: ${evaluated.error}` : ''}`
    }
  }
  return result
}

/** The in-app sweep: every cell, one after another, in this log. */
export async function runSweepLocally(api: ApiClient, sweep: SweepFile, count: number, log: (t: string) => void = () => {}): Promise<CellResult[]> {
  const results: CellResult[] = []
  for (let i = 0; i < count; i++) results.push(await runSweepCell(api, sweep, i, log))
  return results
}
