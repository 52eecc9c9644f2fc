import type { Handlers } from './handler'
import type { LabContext } from '../context'
import type { Status } from '../../api/status'
import { APP_VERSION } from '../version'
import { logCounts, sqliteVersion } from '../store/log-info'

export const statusHandlers: Handlers<'status.get'> = {
  'status.get': async (_params, ctx) => readStatus(ctx)
}

export async function readStatus(ctx: LabContext): Promise<Status> {
  return {
    app: { name: 'AdvLab', version: APP_VERSION },
    versions: { node: process.versions.node, sqlite: sqliteVersion(ctx.db), electron: ctx.electronVersion },
    dataDir: ctx.dataDir,
    logPath: ctx.logPath,
    setAside: ctx.setAside,
    backend: await ctx.backend(),
    counts: logCounts(ctx.db)
  }
}
