/** Handler of `defences.wrap`: a trained model behind a test-time defence layer, as a new model run. */
import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import type { Defence } from '../../api/defences'
import type { WrappedRunConfig } from '../../api/run-configs'
import { createRun, getRun, setRunStatus } from '../store/runs'
import { requireModelRun } from '../store/model-runs'
import { logEvent } from '../store/events'
import { describeDefence } from '../defences/training'
import { isToyDefence } from '../defences/toys'

export const defenceHandlers: Handlers<'defences.wrap'> = {
  'defences.wrap': (params, ctx) => {
    const source = requireModelRun(ctx.db, params.runId, 'runId')
    const defence = params.defence as Defence
    if (!isToyDefence(defence))
      throw new LabError('bad_input', `Only a defence layer (gradient-truncation, quantisation, random-resize) can wrap a trained model; ${defence.kind} changes training — start a training run with it instead.`, 'defence.kind')
    const name = params.name ?? `${source.name} + ${describeDefence(defence)}`
    const config: WrappedRunConfig = { sourceRunId: source.id, defence, source: source.config }
    const runId = createRun(ctx.db, { projectId: source.projectId, datasetId: source.datasetId, name, kind: 'wrapped', config, seed: source.seed })
    // No training: the wrapped run shares its source's weights file; the layer is rebuilt from `defence`.
    const weights = ctx.db.prepare("SELECT path, sha256, bytes FROM artifacts WHERE run_id = ? AND kind = 'weights' ORDER BY id DESC LIMIT 1").get(source.id) as { path: string; sha256: string; bytes: number }
    ctx.db.prepare('INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(runId, 'weights', weights.path, weights.sha256, weights.bytes, new Date().toISOString())
    setRunStatus(ctx.db, runId, 'completed')
    logEvent(ctx.db, runId, 'info', `Run ${source.id} behind a ${describeDefence(defence)}.`)
    ctx.events.emit('runs.changed', { id: runId, status: 'completed' })
    return { ...getRun(ctx.db, runId), progress: null }
  },
}
