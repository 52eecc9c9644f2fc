/**
 * Studies in the log (migration 6): the study row with its plan, and study_runs tying each run to
 * its strategy (arm), seed and role.
 */
import type Database from 'better-sqlite3'
import { LabError } from '../../api/errors'
import type { RunStatus } from '../../api/runs'
import type { Study, StudyPlan, StudyStatus, StudySummary } from '../../api/studies'

interface StudyRow {
  id: number
  name: string
  preset: string
  status: StudyStatus
  plan_json: string
  error: string | null
  created_at: string
  finished_at: string | null
  seconds: number | null
}

export type StudyRole = 'model' | 'teacher' | 'eval' | 'sweep'

export function createStudy(db: Database.Database, s: { name: string; preset: string; plan: StudyPlan; status?: StudyStatus }): number {
  const now = new Date().toISOString()
  return Number(
    db
      .prepare('INSERT INTO studies (name, preset, status, plan_json, created_at, runner_pid) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.name, s.preset, s.status ?? 'running', JSON.stringify(s.plan), now, (s.status ?? 'running') === 'running' ? process.pid : null)
      .lastInsertRowid
  )
}

export function addStudyRun(db: Database.Database, studyId: number, runId: number, arm: string, seed: number, role: StudyRole): void {
  db.prepare('INSERT OR IGNORE INTO study_runs (study_id, run_id, arm, seed, role) VALUES (?, ?, ?, ?, ?)').run(
    studyId,
    runId,
    arm,
    seed,
    role
  )
}

export function finishStudy(db: Database.Database, id: number, status: StudyStatus, error: string | null): void {
  const row = db.prepare('SELECT created_at FROM studies WHERE id = ?').get(id) as { created_at: string } | undefined
  if (!row) return
  const now = new Date()
  const seconds = (now.getTime() - Date.parse(row.created_at)) / 1000
  db.prepare('UPDATE studies SET status = ?, error = ?, finished_at = ?, seconds = ?, runner_pid = NULL WHERE id = ?').run(
    status,
    error,
    now.toISOString(),
    seconds,
    id
  )
}

function readRow(db: Database.Database, id: number): StudyRow {
  const row = db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined
  if (!row) throw new LabError('not_found', `There is no study with id ${id}; see lab study list.`, 'id')
  return row
}

interface MemberRow {
  run_id: number
  arm: string
  seed: number
  role: StudyRole
  name: string
  status: RunStatus
  error: string | null
}

function members(db: Database.Database, id: number): MemberRow[] {
  return db
    .prepare(
      `SELECT s.run_id, s.arm, s.seed, s.role, r.name, r.status, r.error FROM study_runs s JOIN runs r ON r.id = s.run_id
       WHERE s.study_id = ? AND r.deleted_at IS NULL ORDER BY s.run_id`
    )
    .all(id) as MemberRow[]
}

function toSummary(row: StudyRow, m: MemberRow[]): StudySummary {
  const seconds = row.seconds ?? (row.status === 'running' ? (Date.now() - Date.parse(row.created_at)) / 1000 : null)
  return {
    id: row.id,
    name: row.name,
    preset: row.preset,
    status: row.status,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    seconds,
    runs: {
      total: m.length,
      completed: m.filter((r) => r.status === 'completed').length,
      failed: m.filter((r) => r.status === 'failed' || r.status === 'cancelled' || r.status === 'interrupted').length
    }
  }
}

export function getStudySummary(db: Database.Database, id: number): StudySummary {
  return toSummary(readRow(db, id), members(db, id))
}

export function getStudy(db: Database.Database, id: number): Study {
  const row = readRow(db, id)
  const m = members(db, id)
  return {
    ...toSummary(row, m),
    plan: JSON.parse(row.plan_json) as StudyPlan,
    members: m.map((r) => ({ runId: r.run_id, arm: r.arm, seed: r.seed, role: r.role, name: r.name, status: r.status, error: r.error }))
  }
}

export function listStudies(db: Database.Database): StudySummary[] {
  const rows = db.prepare('SELECT * FROM studies ORDER BY id DESC').all() as StudyRow[]
  return rows.map((r) => toSummary(r, members(db, r.id)))
}

/** Studies the log says are running, with the process that runs each (null: unknown). */
export function runningStudies(db: Database.Database): { id: number; runnerPid: number | null }[] {
  return (
    db.prepare("SELECT id, runner_pid FROM studies WHERE status = 'running'").all() as { id: number; runner_pid: number | null }[]
  ).map((r) => ({ id: r.id, runnerPid: r.runner_pid }))
}

export function requestStudyCancel(db: Database.Database, id: number): void {
  db.prepare('UPDATE studies SET cancel_requested_at = ? WHERE id = ? AND cancel_requested_at IS NULL').run(new Date().toISOString(), id)
}

export function isStudyCancelRequested(db: Database.Database, id: number): boolean {
  return (
    (db.prepare('SELECT cancel_requested_at FROM studies WHERE id = ?').get(id) as { cancel_requested_at: string | null } | undefined)
      ?.cancel_requested_at != null
  )
}

/** Runs of a study that have not ended (queued, running). */
export function unfinishedStudyRuns(db: Database.Database, id: number): number[] {
  return (
    db
      .prepare(
        "SELECT s.run_id FROM study_runs s JOIN runs r ON r.id = s.run_id WHERE s.study_id = ? AND r.status IN ('queued', 'running')"
      )
      .all(id) as { run_id: number }[]
  ).map((r) => r.run_id)
}

/** A study recorded from runs already in the log: complete, with no duration of its own. */
export function clearStudyDuration(db: Database.Database, id: number): void {
  db.prepare('UPDATE studies SET seconds = NULL WHERE id = ?').run(id)
}
