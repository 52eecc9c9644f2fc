/**
 * Handlers of the experiment-log requests (api/log.ts): the results table, the trash, exporting,
 * importing, backing up. Each changes the log through lab/store and announces what changed.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Handlers } from './handler'
import type { LabContext } from '../context'
import { compareRuns } from '../store/compare'
import { emptyTrash, listTrash, restoreFromTrash } from '../store/organise'
import { exportBundle } from '../store/export/bundle-export'
import { importBundle } from '../store/export/bundle-import'
import { formatResultsTable } from '../store/export/table'
import { buildResultsTable } from '../store/results-table'
import { printPdf, renderReport } from '../store/export/report'
import { exportMlflow } from '../store/export/mlflow'
import { exportTensorBoard } from '../store/export/tensorboard'
import { backupLog, restoreLog } from '../store/backup'
import { ensureBuiltinDatasets } from '../data/builtins'

type LogRequest =
  | 'results.table'
  | 'trash.list'
  | 'trash.restore'
  | 'trash.empty'
  | 'export.bundle'
  | 'import.bundle'
  | 'export.table'
  | 'export.report'
  | 'export.mlflow'
  | 'export.tensorboard'
  | 'log.backup'
  | 'log.restore'

const OK = { ok: true as const }

function changed(ctx: LabContext, ids: number[], what: string): typeof OK {
  ctx.events.emit('log.changed', { ids, what })
  return OK
}

/** Output paths are the user's to choose; relative ones are taken from the data directory. */
function outPath(ctx: LabContext, p: string): string {
  return path.resolve(ctx.dataDir, p)
}

export const logHandlers: Handlers<LogRequest> = {
  'results.table': (request, { db }) => buildResultsTable(db, request),
  'trash.list': (_p, { db }) => listTrash(db),
  'trash.restore': ({ ids }, ctx) => (restoreFromTrash(ctx.db, ids), changed(ctx, ids, 'restored')),
  'trash.empty': ({ ids }, ctx) => {
    const result = emptyTrash(ctx.db, ctx.dataDir, ids)
    changed(ctx, result.ids, 'removed')
    return result
  },
  'export.bundle': ({ ids, path: p, cell, error }, ctx) => exportBundle(ctx.db, ctx.dataDir, ids, outPath(ctx, p), { cell, error }),
  'import.bundle': async ({ path: p }, ctx) => {
    // The built-in datasets first: a bundled run is linked to a dataset only when this log holds
    // the same data, so a fresh log (a cluster merge) must know MNIST before the runs arrive.
    await ensureBuiltinDatasets(ctx)
    const result = importBundle(ctx.db, ctx.dataDir, outPath(ctx, p))
    if (result.imported.length)
      changed(
        ctx,
        result.imported.map((r) => r.id),
        'imported'
      )
    return result
  },
  'export.table': ({ format, path: p, ...request }, ctx) => {
    const text = formatResultsTable(buildResultsTable(ctx.db, request), format)
    if (p === undefined) return { text, path: null }
    const target = outPath(ctx, p)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, text)
    return { text, path: target }
  },
  'export.report': ({ path: p, title, pdf, ...request }, ctx) => {
    const target = outPath(ctx, p)
    const html = renderReport(compareRuns(ctx.db, { ids: request.ids }), buildResultsTable(ctx.db, request), { title })
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, html)
    const printed = pdf ? printPdf(target, target.replace(/\.html?$/i, '') + '.pdf') : { path: null, note: null }
    return { path: target, bytes: Buffer.byteLength(html), pdfPath: printed.path, pdfNote: printed.note }
  },
  'export.mlflow': ({ ids, path: p, experiment }, ctx) => exportMlflow(ctx.db, ctx.dataDir, ids, outPath(ctx, p), experiment),
  'export.tensorboard': ({ ids, path: p }, ctx) => exportTensorBoard(ctx.db, ids, outPath(ctx, p)),
  'log.backup': ({ path: p }, ctx) => backupLog(ctx.db, outPath(ctx, p)),
  'log.restore': async ({ path: p }, ctx) => {
    const result = await restoreLog(ctx.db, ctx.logPath, outPath(ctx, p))
    ctx.events.emit('log.changed', { ids: [], what: 'restored' })
    return result
  }
}
