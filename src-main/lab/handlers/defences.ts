/** Handler of `defences.wrap`: a trained model behind a test-time defence layer, as a new model run. */
import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import type { Defence } from '../../api/defences'
import type { WrappedRunConfig } from '../../api/run-configs'
import { createRun, getRun, setRunStatus } from '../store/runs'
import { requireModelRun } from '../store/model-runs'
import { addArtifact, latestWeights } from '../store/artifacts'
import { logEvent } from '../store/events'
import { describeDefence } from '../defences/training'
import { isToyDefence } from '../defences/toys'

export const defenceHandlers: Handlers<'defences.wrap'> = {
  'defences.wrap': (params, ctx) => {
    const source = requireModelRun(ctx.db, params.runId, 'runId')
    const defence = params.defence as Defence
    if (!isToyDefence(defence))
      throw new LabError(
        'bad_input',
        `Only a defence layer (gradient-truncation, quantisation, random-resize) can wrap a trained model; ${defence.kind} changes training — start a training run with it instead.`,
        'defence.kind'
      )
    const name = params.name ?? `${source.name} + ${describeDefence(defence)}`
    const config: WrappedRunConfig = { sourceRunId: source.id, defence, source: source.config }
    const runId = createRun(ctx.db, {
      projectId: source.projectId,
      datasetId: source.datasetId,
      name,
      kind: 'wrapped',
      config,
      seed: source.seed
    })
    // No training: the wrapped run shares its source's weights file; the layer is rebuilt from `defence`.
    addArtifact(ctx.db, runId, 'weights', latestWeights(ctx.db, source.id)!)
    setRunStatus(ctx.db, runId, 'completed')
    logEvent(ctx.db, runId, 'info', `Run ${source.id} behind a ${describeDefence(defence)}.`)
    ctx.events.emit('runs.changed', { id: runId, status: 'completed' })
    return { ...getRun(ctx.db, runId), progress: null }
  }
}
