import type Database from 'better-sqlite3'
import type { RunEvent } from '../../api/runs'
import { RunEventFactSchema } from '../../api/run-events'

export type EventLevel = 'debug' | 'info' | 'warn' | 'error'

/** Appends one line to the events log (of a run, or of the app when runId is null). */
export function logEvent(db: Database.Database, runId: number | null, level: EventLevel, message: string, data?: unknown): void {
  db.prepare('INSERT INTO events (run_id, level, message, data_json, time) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    level,
    message,
    data === undefined ? null : JSON.stringify(data),
    Date.now() / 1000
  )
}

/** A run's events after the one with id `afterId`, oldest first, with the fact a line states as data (api/run-events.ts). */
export function listRunEvents(db: Database.Database, runId: number, afterId: number): RunEvent[] {
  const rows = db
    .prepare('SELECT id, level, message, data_json, time FROM events WHERE run_id = ? AND id > ? ORDER BY id')
    .all(runId, afterId) as (Omit<RunEvent, 'fact'> & { data_json: string | null })[]
  return rows.map(({ data_json, ...event }) => {
    const fact = data_json ? RunEventFactSchema.safeParse((JSON.parse(data_json) as { fact?: unknown } | null)?.fact) : null
    return fact?.success ? { ...event, fact: fact.data } : event
  })
}
