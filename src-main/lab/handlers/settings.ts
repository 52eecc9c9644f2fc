import os from 'node:os'
import type { Handlers } from './handler'
import type { LabContext } from '../context'
import type { Settings } from '../../api/settings'
import type { BackendChoice } from '../../api/backends'
import { readSetting, writeSetting } from '../store/settings'
import { logEvent } from '../store/events'

const BACKEND_KEY = 'engine.backendOverride'
const WORKERS_KEY = 'jobs.workers'

export function readSettings(ctx: Pick<LabContext, 'db' | 'dataDir'>): Settings {
  const backend = readSetting(ctx.db, BACKEND_KEY)
  const workers = Number(readSetting(ctx.db, WORKERS_KEY) ?? 1)
  return { backendOverride: (backend || null) as BackendChoice | null, workers, cores: os.cpus().length, dataDir: ctx.dataDir }
}

export const settingsHandlers: Handlers<'settings.get' | 'settings.set'> = {
  'settings.get': (_params, ctx) => readSettings(ctx),
  'settings.set': (params, ctx) => {
    if (params.backendOverride !== undefined) {
      writeSetting(ctx.db, BACKEND_KEY, params.backendOverride ?? '')
      // The next status request and the next job choose again, trying the override first.
      ctx.reselectBackend()
      logEvent(ctx.db, null, 'info', `Engine backend override set to ${params.backendOverride ?? 'automatic'}.`)
    }
    if (params.workers !== undefined) {
      writeSetting(ctx.db, WORKERS_KEY, String(params.workers))
      ctx.jobs.setConcurrency(params.workers)
    }
    return readSettings(ctx)
  }
}
