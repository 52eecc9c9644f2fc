import crypto from 'node:crypto'
import type Database from 'better-sqlite3'
import type { Run, RunStatus, RunSummary } from '../../api/runs'
import { LabError } from '../../api/errors'
import { readSetting, writeSetting } from './settings'

interface RunRow {
  id: number
  project_id: number | null
  dataset_id: number | null
  name: string
  kind: string
  status: RunStatus
  config_json: string
  config_hash: string
  seed: number
  backend: string | null
  error: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface NewRun {
  projectId?: number | null
  datasetId?: number | null
  name: string
  kind: string
  config: Record<string, unknown>
  seed: number
}

/**
 * Keys that name, file or link a run rather than say what it does. Repeats of one experiment differ
 * in them: the seed, the name ("… · seed 2"), the project, and the runs it was made from (a
 * student's teacher, a wrapped model's source — themselves repeats of one config).
 */
const NOT_THE_EXPERIMENT = new Set(['seed', 'name', 'projectId', 'teacherRunId', 'sourceRunId'])

function experimentOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(experimentOf)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !NOT_THE_EXPERIMENT.has(k))
        .map(([k, v]) => [k, experimentOf(v)])
    )
  return value
}

/**
 * Two runs with the same hash are repeats of one experiment: the hash covers the whole config at
 * every depth except the keys above, with keys sorted so that key order never matters.
 */
export function configHash(config: Record<string, unknown>): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson(experimentOf(config)))
    .digest('hex')
    .slice(0, 16)
}

/** Bumped when configHash changes what it covers; logs hashed under an older rule are rehashed once. */
const HASH_RULE = '2'

/** Rehashes every run of a log written under an older rule (before rule 2, names and run links counted). */
export function rehashConfigs(db: Database.Database): void {
  if (readSetting(db, 'configHashRule') === HASH_RULE) return
  db.transaction(() => {
    const update = db.prepare('UPDATE runs SET config_hash = ? WHERE id = ?')
    for (const r of db.prepare('SELECT id, config_json FROM runs').all() as Array<{ id: number; config_json: string }>)
      update.run(configHash(JSON.parse(r.config_json) as Record<string, unknown>), r.id)
    writeSetting(db, 'configHashRule', HASH_RULE)
  })()
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** A new run, `queued` and owned by this process (runner_pid), which will run it. */
export function createRun(db: Database.Database, run: NewRun): number {
  const now = new Date().toISOString()
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO runs (project_id, dataset_id, name, kind, status, config_json, config_hash, seed, created_at, updated_at, runner_pid)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`
    )
    .run(
      run.projectId ?? null,
      run.datasetId ?? null,
      run.name,
      run.kind,
      JSON.stringify(run.config),
      configHash(run.config),
      run.seed,
      now,
      now,
      process.pid
    )
  return Number(lastInsertRowid)
}

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    projectId: row.project_id,
    datasetId: row.dataset_id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    seed: row.seed,
    backend: row.backend,
    configHash: row.config_hash,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    progress: null
  }
}

export function getRun(db: Database.Database, id: number): Run {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined
  if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'id')
  return { ...toSummary(row), config: JSON.parse(row.config_json) }
}

export function listRuns(
  db: Database.Database,
  filter: { projectId?: number; status?: RunStatus; kind?: string; limit: number }
): RunSummary[] {
  // Runs in the trash are listed by trash.list, not here.
  const where: string[] = ['deleted_at IS NULL']
  const args: unknown[] = []
  if (filter.projectId !== undefined) (where.push('project_id = ?'), args.push(filter.projectId))
  if (filter.status !== undefined) (where.push('status = ?'), args.push(filter.status))
  if (filter.kind !== undefined) (where.push('kind = ?'), args.push(filter.kind))
  const sql = `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`
  return (db.prepare(sql).all(...args, filter.limit) as RunRow[]).map(toSummary)
}

/**
 * Moves a run to a new status, stamping start/finish times and the error, if any. A queued or
 * running run records this process as its runner, so a restart can tell a ghost from a live run.
 */
export function setRunStatus(
  db: Database.Database,
  id: number,
  status: RunStatus,
  extra: { error?: string | null; backend?: string } = {}
): void {
  const now = new Date().toISOString()
  const finished = status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'interrupted'
  db.prepare(
    `UPDATE runs SET status = ?, updated_at = ?,
       started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? ELSE started_at END,
       finished_at = CASE WHEN ? THEN ? WHEN ? = 'running' THEN NULL ELSE finished_at END,
       error = CASE WHEN ? THEN ? WHEN ? = 'running' THEN NULL ELSE error END,
       backend = COALESCE(?, backend),
       runner_pid = CASE WHEN ? IN ('queued', 'running') THEN ? ELSE NULL END
     WHERE id = ?`
  ).run(
    status,
    now,
    status,
    now,
    finished ? 1 : 0,
    now,
    status,
    extra.error !== undefined ? 1 : 0,
    extra.error ?? null,
    status,
    extra.backend ?? null,
    status,
    process.pid,
    id
  )
}

export const INTERRUPTED_WHILE_RUNNING = 'AdvLab stopped while this run was in progress; resume it to continue from its last checkpoint.'
export const INTERRUPTED_WHILE_QUEUED = 'AdvLab stopped before this run started; resume it to run it.'

/**
 * Runs left `queued` or `running` by a process that no longer exists (killed, crashed, power loss)
 * become `interrupted`, resumable from their last checkpoint; no job will ever pick them up, and
 * left as they were they would block cancel, export and restore forever. Runs of a live process
 * (another AdvLab sharing this log) are left alone; a run with no recorded process (written by an
 * older AdvLab) or recorded by this very process (which has just started, so has no jobs yet) is a
 * ghost. Returns the ids marked, with the status each was found in.
 */
export function repairGhostRuns(
  db: Database.Database,
  isAlive: (pid: number) => boolean = processIsAlive
): Array<{ id: number; was: 'queued' | 'running' }> {
  const candidates = db.prepare("SELECT id, status, runner_pid FROM runs WHERE status IN ('queued', 'running')").all() as {
    id: number
    status: 'queued' | 'running'
    runner_pid: number | null
  }[]
  const rows = candidates.filter((r) => r.runner_pid === null || r.runner_pid === process.pid || !isAlive(r.runner_pid))
  const mark = db.prepare(
    "UPDATE runs SET status = 'interrupted', updated_at = ?, error = ?, runner_pid = NULL WHERE id = ? AND status = ?"
  )
  db.transaction(() => {
    for (const r of rows)
      mark.run(new Date().toISOString(), r.status === 'queued' ? INTERRUPTED_WHILE_QUEUED : INTERRUPTED_WHILE_RUNNING, r.id, r.status)
  })()
  return rows.map((r) => ({ id: r.id, was: r.status }))
}

/** repairGhostRuns, for callers that only need the ids. */
export function markInterruptedRuns(db: Database.Database, isAlive: (pid: number) => boolean = processIsAlive): number[] {
  return repairGhostRuns(db, isAlive).map((r) => r.id)
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The completed repeats of one experiment (runs sharing a config hash), oldest first. */
export function completedRunsWithConfigHash(db: Database.Database, configHash: string): number[] {
  return (
    db.prepare("SELECT id FROM runs WHERE config_hash = ? AND status = 'completed' ORDER BY id").all(configHash) as { id: number }[]
  ).map((r) => r.id)
}
