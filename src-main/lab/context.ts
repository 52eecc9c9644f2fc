import type Database from 'better-sqlite3'
import type { BackendInfo } from '../api/status'
import type { EventHub } from './event-hub'
import type { JobQueue } from './jobs/queue'
import type { JobOrder } from '../api/run-configs'
import type { ApiClient } from '../api/client'

/** What every request handler may use. Handlers hold no state of their own. */
export interface LabContext {
  db: Database.Database
  dataDir: string
  logPath: string
  setAside: { path: string; reason: string } | null
  events: EventHub
  backend: () => Promise<BackendInfo>
  /** Forgets the chosen backend, so the next use chooses again (after a settings change). */
  reselectBackend: () => void
  electronVersion: string | null
  /**
   * The service as a caller of its own contract: work that the lab drives itself (a study's runs)
   * goes through the same validation and error mapping as any other client's requests.
   */
  client: ApiClient
  /** Studies whose runner is this service (a study in the log says which process runs it). */
  studiesRunHere: Set<number>
  jobs: JobQueue
  /**
   * Queues the job of an existing run — its kind with that kind's config — and resolves when the
   * job has ended. The config is checked against its kind's schema first (it may have been read
   * back from the log); a run whose config does not fit is marked failed, never started.
   */
  startJob(runId: number, order: JobOrder, seed: number, options?: { resume?: boolean; priority?: number }): Promise<void>
}
