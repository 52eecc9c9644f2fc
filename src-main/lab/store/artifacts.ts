/**
 * Files a run leaves in the data directory (weights, checkpoints, galleries), as the log records
 * them: path relative to the data directory, sha256 and size.
 */
import type Database from 'better-sqlite3'

export interface ArtifactFile {
  path: string
  sha256: string
  bytes: number
}

/** A run's latest final weights, or null when it has none (not completed, or not a model run). */
export function latestWeights(db: Database.Database, runId: number): ArtifactFile | null {
  const row = db
    .prepare("SELECT path, sha256, bytes FROM artifacts WHERE run_id = ? AND kind = 'weights' ORDER BY id DESC LIMIT 1")
    .get(runId) as ArtifactFile | undefined
  return row ?? null
}

export function addArtifact(db: Database.Database, runId: number, kind: string, file: ArtifactFile): void {
  db.prepare('INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    runId,
    kind,
    file.path,
    file.sha256,
    file.bytes,
    new Date().toISOString()
  )
}

/** The gallery images of the evaluation runs that attacked this model run, newest first. */
export function galleriesOfModelRun(db: Database.Database, runId: number): { evalRunId: number; path: string }[] {
  return db
    .prepare(
      `SELECT a.run_id AS evalRunId, a.path FROM artifacts a
       WHERE a.kind = 'gallery' AND a.run_id IN (SELECT DISTINCT eval_run_id FROM eval_results WHERE run_id = ? AND eval_run_id IS NOT NULL)
       ORDER BY a.id DESC`
    )
    .all(runId) as { evalRunId: number; path: string }[]
}
