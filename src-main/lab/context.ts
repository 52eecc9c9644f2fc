import type Database from 'better-sqlite3'
import type { BackendInfo } from '../api/status'
import type { EventHub } from './events'

/** What every request handler may use. Handlers hold no state of their own. */
export interface LabContext {
  db: Database.Database
  dataDir: string
  logPath: string
  setAside: { path: string; reason: string } | null
  events: EventHub
  backend: () => Promise<BackendInfo>
  electronVersion: string | null
}
