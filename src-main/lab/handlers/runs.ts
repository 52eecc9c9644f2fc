import type { Handlers } from './handler'
import { LabError } from '../../api/errors'
import { readJobOrder } from '../../api/run-configs'
import { getRun, listRuns, setRunStatus } from '../store/runs'
import { readMetricSeries } from '../store/metric-series'

export const runHandlers: Handlers<'runs.list' | 'runs.get' | 'runs.cancel' | 'runs.resume' | 'runs.metrics' | 'runs.events'> = {
  'runs.list': (filter, { db, jobs }) => listRuns(db, filter).map((r) => ({ ...r, progress: jobs.progressOf(r.id) })),
  'runs.get': ({ id }, { db, jobs }) => ({ ...getRun(db, id), progress: jobs.progressOf(id) }),
  'runs.cancel': ({ id }, { db, jobs }) => {
    const run = getRun(db, id)
    if (!jobs.cancel(id)) throw new LabError('conflict', `Run ${id} is ${run.status}, not queued or running; there is nothing to cancel.`, 'id')
    return { ...getRun(db, id), progress: jobs.progressOf(id) }
  },
  'runs.resume': ({ id }, ctx) => {
    const run = getRun(ctx.db, id)
    if (ctx.jobs.isActive(id)) throw new LabError('conflict', `Run ${id} is already ${run.status}.`, 'id')
    if (run.status === 'completed') throw new LabError('conflict', `Run ${id} has completed; there is nothing to resume. Repeat it instead.`, 'id')
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
    return db.prepare('SELECT id, level, message, time FROM events WHERE run_id = ? AND id > ? ORDER BY id').all(id, afterId) as never
  }
}
