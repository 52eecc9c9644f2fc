import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import { readJobOrder } from '../../api/run-configs'
import { getRun, listRuns, setRunStatus } from '../store/runs'
import { readMetricSeries } from '../store/metric-series'
import { listRunEvents } from '../store/events'
import { renameRun, setArchived, setNote, setStarred, tagRuns, trashRuns, untagRuns } from '../store/organise'
import type { LabContext } from '../context'

const OK = { ok: true as const }

function changed(ctx: LabContext, ids: number[], what: string): typeof OK {
  ctx.events.emit('log.changed', { ids, what })
  return OK
}

export const runHandlers: Handlers<
  | 'runs.list'
  | 'runs.get'
  | 'runs.cancel'
  | 'runs.resume'
  | 'runs.metrics'
  | 'runs.events'
  | 'runs.tag'
  | 'runs.untag'
  | 'runs.note'
  | 'runs.star'
  | 'runs.rename'
  | 'runs.archive'
  | 'runs.delete'
> = {
  'runs.list': (filter, { db, jobs }) => listRuns(db, filter).map((r) => ({ ...r, progress: jobs.progressOf(r.id) })),
  'runs.get': ({ id }, { db, jobs }) => ({ ...getRun(db, id), progress: jobs.progressOf(id) }),
  'runs.cancel': ({ id }, { db, jobs }) => {
    const run = getRun(db, id)
    if (!jobs.cancel(id))
      throw new LabError('conflict', `Run ${id} is ${run.status}, not queued or running; there is nothing to cancel.`, 'id')
    return { ...getRun(db, id), progress: jobs.progressOf(id) }
  },
  'runs.resume': ({ id }, ctx) => {
    const run = getRun(ctx.db, id)
    if (ctx.jobs.isActive(id)) throw new LabError('conflict', `Run ${id} is already ${run.status}.`, 'id')
    if (run.status === 'completed')
      throw new LabError('conflict', `Run ${id} has completed; there is nothing to resume. Repeat it instead.`, 'id')
    // The stored config, checked against its kind before the run is queued again.
    const order = readJobOrder(run.kind, run.config)
    setRunStatus(ctx.db, id, 'queued', { error: null })
    ctx.events.emit('runs.changed', { id, status: 'queued' })
    void ctx.startJob(run.id, order, run.seed, { resume: true })
    return { ...getRun(ctx.db, id), progress: null }
  },
  'runs.metrics': ({ id, names, maxPoints }, { db }) => {
    getRun(db, id)
    return readMetricSeries(db, id, names, maxPoints)
  },
  'runs.events': ({ id, afterId }, { db }) => {
    getRun(db, id)
    return listRunEvents(db, id, afterId)
  },
  'runs.tag': ({ ids, tags }, ctx) => (tagRuns(ctx.db, ids, tags), changed(ctx, ids, 'tags')),
  'runs.untag': ({ ids, tags }, ctx) => (untagRuns(ctx.db, ids, tags), changed(ctx, ids, 'tags')),
  'runs.note': ({ id, note }, ctx) => (setNote(ctx.db, id, note), changed(ctx, [id], 'note')),
  'runs.star': ({ id, starred }, ctx) => (setStarred(ctx.db, id, starred), changed(ctx, [id], 'star')),
  'runs.rename': ({ id, name }, ctx) => (renameRun(ctx.db, id, name), changed(ctx, [id], 'name')),
  'runs.archive': ({ ids, archived }, ctx) => (setArchived(ctx.db, ids, archived), changed(ctx, ids, archived ? 'archived' : 'unarchived')),
  'runs.delete': ({ ids }, ctx) => {
    for (const id of ids)
      if (ctx.jobs.isActive(id))
        throw new LabError('conflict', `Run ${id} is still queued or running; cancel it before deleting it.`, 'ids')
    trashRuns(ctx.db, ids)
    return changed(ctx, ids, 'trashed')
  }
}
