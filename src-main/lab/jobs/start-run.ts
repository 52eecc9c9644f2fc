/**
 * The one way a run of any kind starts: its project checked, its row created (queued), the
 * warnings of its request stored with it, the change announced, and its job queued. Every handler
 * that starts a run (train, distil, import, attack, eval, sweep) goes through here.
 */
import type { LabContext } from '../context'
import type { JobOrder } from '../../api/run-configs'
import type { RunSummary } from '../../api/runs'
import { createRun, getRun } from '../store/runs'
import { requireProject } from '../store/projects'
import { logEvent } from '../store/events'
import { getDatasetRecord } from '../store/datasets'
import { ensureBuiltinDatasets } from '../data/builtins'

export interface NewRun {
  order: JobOrder
  datasetId: number | null
  seed: number
  name: string
  projectId?: number
  /** E.g. a sample count clamped to the test split: stored as the run's first events. */
  warnings?: readonly string[]
}

export function startRun(ctx: LabContext, run: NewRun): RunSummary {
  requireProject(ctx.db, run.projectId)
  const runId = createRun(ctx.db, {
    projectId: run.projectId,
    datasetId: run.datasetId,
    name: run.name,
    kind: run.order.kind,
    config: run.order.config,
    seed: run.seed
  })
  for (const warning of run.warnings ?? []) logEvent(ctx.db, runId, 'warn', warning)
  ctx.events.emit('runs.changed', { id: runId, status: 'queued' })
  void ctx.startJob(runId, run.order, run.seed)
  return { ...getRun(ctx.db, runId), progress: null }
}

/** The log id of a dataset named in a request; a fresh log learns the built-in datasets first. */
export async function datasetIdNamed(ctx: LabContext, name: string): Promise<number> {
  await ensureBuiltinDatasets(ctx)
  return getDatasetRecord(ctx.db, name).id
}
