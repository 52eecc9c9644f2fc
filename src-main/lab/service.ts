/**
 * The lab service: owns the experiment log and answers every request of the contract.
 * It has no idea which transport a request came through; both call `handle`.
 */
import { describeZodError, LabError, type ApiError } from '../api/errors'
import { isRequestName, requests } from '../api/contract'
import type { Response } from '../api/wire'
import type { BackendInfo } from '../api/status'
import { openLog, type OpenOptions } from './store/open'
import { EventHub, type EventListener } from './event-hub'
import { handlers } from './handlers'
import type { Handler } from './handlers/handler'
import type { LabContext } from './context'
import { selectBackend } from './engine/backend'
import { logEvent } from './store/events'
import { JobQueue } from './jobs/queue'
import { resolveJobInputs } from './jobs/inputs'
import { readSettings } from './handlers/settings'
import { repairGhostRuns, setRunStatus } from './store/runs'
import { cleanBackupDebris } from './store/backup'
import { readJobOrder } from '../api/run-configs'
import type { JobSpec } from './jobs/messages'
import { createApiClient } from '../api/client'
import { inProcessTransport } from './in-process-transport'

export interface LabOptions extends OpenOptions {
  dataDir: string
  electronVersion?: string | null
  /** How many jobs may run at once (each in its own worker thread). */
  concurrency?: number
}

export class LabService {
  readonly ctx: LabContext
  private backendInfo: Promise<BackendInfo> | undefined
  private closed = false

  constructor(options: LabOptions) {
    const log = openLog(options.dataDir, options)
    const events = new EventHub()
    const stored = readSettings({ db: log.db, dataDir: options.dataDir })
    const jobs = new JobQueue(log.db, events, options.concurrency ?? stored.workers)
    this.ctx = {
      db: log.db,
      dataDir: options.dataDir,
      logPath: log.path,
      setAside: log.setAside,
      events,
      // ADVLAB_BACKEND (environment) wins over the stored setting, which wins over the automatic order.
      backend: () =>
        (this.backendInfo ??= selectBackend(process.env.ADVLAB_BACKEND || readSettings(this.ctx).backendOverride || undefined)),
      reselectBackend: () => {
        this.backendInfo = undefined
      },
      electronVersion: options.electronVersion ?? null,
      client: createApiClient(inProcessTransport(this)),
      studiesRunHere: new Set(),
      jobs,
      startJob: async (runId, given, seed, opts = {}) => {
        let spec: JobSpec
        try {
          // The typed boundary: a config that does not fit its kind is refused before any job sees it.
          const order = readJobOrder(given.kind, given.config)
          const backend = await this.ctx.backend()
          spec = {
            ...order,
            runId,
            seed,
            dataDir: options.dataDir,
            resume: opts.resume ?? false,
            backend: backend.name,
            inputs: resolveJobInputs(this.ctx, runId, order)
          }
        } catch (error) {
          // The run exists in the log; it must not stay "queued" forever.
          const message = (error as Error).message
          setRunStatus(log.db, runId, 'failed', { error: message })
          logEvent(log.db, runId, 'error', `Could not start: ${message}`)
          events.emit('runs.changed', { id: runId, status: 'failed' })
          return
        }
        await jobs.enqueue(spec, opts.priority).done
      }
    }
    // Start-up repair: a run left queued or running by a dead process has no job and never will.
    for (const { id, was } of repairGhostRuns(log.db)) {
      const message =
        was === 'queued'
          ? 'AdvLab stopped before this run started; it is marked interrupted and can be resumed.'
          : 'AdvLab stopped while this run was in progress; it is marked interrupted and can be resumed from its last checkpoint.'
      logEvent(log.db, id, 'warn', message)
    }
    // A backup killed mid-copy left a partial file (and its journal) wherever it was going.
    for (const partial of cleanBackupDebris(options.dataDir)) {
      logEvent(log.db, null, 'info', `Removed ${partial}, the partial copy of a backup that was interrupted.`)
    }
    if (log.setAside) {
      logEvent(
        log.db,
        null,
        'warn',
        `The previous log could not be used (${log.setAside.reason}); it was set aside at ${log.setAside.path} and a fresh log was started.`
      )
    }
  }

  /** Validates, dispatches and answers one request. Never throws. */
  async handle(method: unknown, params: unknown): Promise<Response> {
    if (this.closed) return fail({ code: 'unavailable', message: 'The lab service is shutting down; try again in a moment.' })
    if (!isRequestName(method)) return fail({ code: 'unknown_method', message: `There is no request named "${String(method)}".` })
    const parsed = requests[method].params.safeParse(params ?? {})
    if (!parsed.success) return fail(describeZodError(parsed.error, `Invalid request ${method}`))
    try {
      const handler = handlers[method] as Handler<typeof method>
      const result = await handler(parsed.data as never, this.ctx)
      return { ok: true, result }
    } catch (error) {
      if (error instanceof LabError) return fail(error.toApiError())
      // A bug, not a user error: keep the details in the log, show the user one sentence.
      const message = (error as Error)?.message ?? String(error)
      try {
        logEvent(this.ctx.db, null, 'error', `Request ${method} failed: ${message}`, { stack: (error as Error)?.stack })
      } catch {
        // The log itself failed; the response still tells the user.
      }
      return fail({ code: 'internal', message: `AdvLab could not complete ${method}: ${message}` })
    }
  }

  subscribe(listener: EventListener): () => void {
    return this.ctx.events.subscribe(listener)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ctx.jobs.close()
    this.ctx.db.close()
  }
}

const fail = (error: ApiError): Response => ({ ok: false, error })
