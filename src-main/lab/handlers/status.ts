import type { Handlers } from './handler'
import type { LabContext } from '../context'
import type { Status } from '../../api/status'
import { APP_VERSION } from '../version'

export const statusHandlers: Handlers<'status.get'> = {
  'status.get': async (_params, ctx) => readStatus(ctx)
}

export async function readStatus(ctx: LabContext): Promise<Status> {
  const count = (table: string) => (ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  const sqlite = (ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  return {
    app: { name: 'AdvLab', version: APP_VERSION },
    versions: { node: process.versions.node, sqlite, electron: ctx.electronVersion },
    dataDir: ctx.dataDir,
    logPath: ctx.logPath,
    setAside: ctx.setAside,
    backend: await ctx.backend(),
    counts: { projects: count('projects'), runs: count('runs'), datasets: count('datasets') }
  }
}
