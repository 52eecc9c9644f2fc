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
  /** The cell's model run; null when it could not be started. */
  modelRunId: number | null
  evalRunId: number | null
  /** Every run the cell made, for the bundle. */
  runIds: number[]
  ok: boolean
  error: string | null
}

/**
 * Runs one cell; never throws once the cell is known: a refusal or a failure at any step ends the
 * cell with `ok: false` and the error, keeping the runs it made so far (a trained model is not lost
 * because its evaluation was refused).
 */
export async function runSweepCell(
  api: ApiClient,
  sweep: SweepFile,
  index: number,
  log: (t: string) => void = () => {}
): Promise<CellResult> {
  const cell = sweepCell(sweep, index)
  const result: CellResult = { index, label: cell.label, modelRunId: null, evalRunId: null, runIds: [], ok: false, error: null }
  log(`cell ${index}: ${cell.label}`)
  let step = 'registering its datasets'
  try {
    await registerDatasets(api, sweep)
    step = `starting its ${sweep.kind === 'distill' ? 'distillation' : 'training'}`
    const model =
      sweep.kind === 'distill'
        ? await api.request('distill.start', cell.config as never)
        : await api.request('train.start', cell.config as never)
    result.modelRunId = model.id
    result.runIds.push(model.id)
    step = `training run ${model.id}`
    const trained = await runEnded(api, model.id)
    if (trained.status !== 'completed') {
      result.error = `run ${model.id} ${trained.status}${trained.error ? `: ${trained.error}` : ''}`
      return result
    }
    if (sweep.evaluate) {
      const e = sweep.evaluate
      step = `starting the evaluation of run ${model.id}`
      const evalRun = await api.request('sweep.start', {
        runIds: [model.id],
        attacks: e.attacks,
        epsilons: e.epsilons,
        norm: e.norm,
        n: e.n,
        seed: e.seed,
        name: `${sweep.name} · ${cell.label} — attacks`
      })
      result.evalRunId = evalRun.id
      result.runIds.push(evalRun.id)
      step = `evaluation run ${evalRun.id}`
      const evaluated = await runEnded(api, evalRun.id)
      if (evaluated.status !== 'completed') {
        result.error = `evaluation run ${evalRun.id} ${evaluated.status}${evaluated.error ? `: ${evaluated.error}` : ''}`
        return result
      }
    }
    result.ok = true
  } catch (error) {
    result.error = `${step}: ${(error as Error).message}`
  }
  return result
}

async function registerDatasets(api: ApiClient, sweep: SweepFile): Promise<void> {
  for (const [name, path] of Object.entries(sweep.datasets)) {
    const known = (await api.request('datasets.list', {})).some((d) => d.name.toLowerCase() === name.toLowerCase())
    if (!known) await api.request('datasets.register', { path, name })
  }
}

/** The in-app sweep: every cell, one after another, in this log. */
export async function runSweepLocally(
  api: ApiClient,
  sweep: SweepFile,
  count: number,
  log: (t: string) => void = () => {}
): Promise<CellResult[]> {
  const results: CellResult[] = []
  for (let i = 0; i < count; i++) results.push(await runSweepCell(api, sweep, i, log))
  return results
}
