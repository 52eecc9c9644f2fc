import type Database from 'better-sqlite3'

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

/** A run's events after the one with id `afterId`, oldest first. */
export function listRunEvents(db: Database.Database, runId: number, afterId: number): { id: number; level: EventLevel; message: string; time: number }[] {
  return db.prepare('SELECT id, level, message, time FROM events WHERE run_id = ? AND id > ? ORDER BY id').all(runId, afterId) as never
}
