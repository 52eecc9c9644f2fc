import type Database from 'better-sqlite3'
import type { BackendInfo } from '../api/status'
import type { EventHub } from './events'
import type { JobQueue } from './jobs/queue'

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
  jobs: JobQueue
  /** Queues the job of an existing run; resolves when the job has ended. */
  startJob(runId: number, kind: string, config: Record<string, unknown>, seed: number, options?: { resume?: boolean; priority?: number }): Promise<void>
}
