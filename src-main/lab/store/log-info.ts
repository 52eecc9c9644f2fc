/** What the status screen says about the log itself. */
import type Database from 'better-sqlite3'

export function sqliteVersion(db: Database.Database): string {
  return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
}

/** Rows in the log's main tables (trashed runs included, as they still hold their files). */
export function logCounts(db: Database.Database): { projects: number; runs: number; datasets: number } {
  const count = (table: 'projects' | 'runs' | 'datasets') => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  return { projects: count('projects'), runs: count('runs'), datasets: count('datasets') }
}
