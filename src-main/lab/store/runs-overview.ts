/**
 * The Runs screen's list (api/runs-overview.ts) read in one pass: model runs newest first, each
 * filed (dataset, architecture, defence, tags — as runs.select files them), scored by the results
 * table's headlines, with the measurement runs that name it in their targetRunIds nested under it
 * and the studies it belongs to.
 */
import type Database from 'better-sqlite3'
import { isModelRunKind, type RunStatus } from '../../api/runs'
import type { MeasurementRun, OverviewModel, OverviewStudy, RunsOverview } from '../../api/runs-overview'
import type { RunHeadline } from '../../api/results-table'
import { flattenConfig, selectRuns } from './compare'
import { buildResultsTable } from './results-table'
import { digestedFinals } from './metric-digests'

type Progress = MeasurementRun['progress']

interface Row {
  id: number
  name: string
  kind: string
  status: RunStatus
  seed: number
  config_hash: string
  config_json: string
  created_at: string
  finished_at: string | null
  error: string | null
}

const isActive = (status: RunStatus) => status === 'queued' || status === 'running'

function targetsOf(config: Record<string, unknown>): number[] {
  const ids = config.targetRunIds
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : []
}

function studiesOf(db: Database.Database): { studies: OverviewStudy[]; byRun: Map<number, number[]> } {
  const rows = db
    .prepare(
      `SELECT sr.run_id AS runId, s.id, s.name, s.preset, s.status, s.created_at AS createdAt
       FROM study_runs sr JOIN studies s ON s.id = sr.study_id WHERE sr.role IN ('model', 'teacher') ORDER BY s.id DESC`
    )
    .all() as Array<OverviewStudy & { runId: number }>
  const studies = new Map<number, OverviewStudy>()
  const byRun = new Map<number, number[]>()
  for (const { runId, ...study } of rows) {
    studies.set(study.id, study)
    const list = byRun.get(runId) ?? []
    if (!list.includes(study.id)) byRun.set(runId, [...list, study.id])
  }
  return { studies: [...studies.values()], byRun }
}

export function runsOverview(
  db: Database.Database,
  params: { projectId?: number; limit: number },
  progressOf: (runId: number) => Progress
): RunsOverview {
  const where = ['deleted_at IS NULL']
  const args: unknown[] = []
  if (params.projectId !== undefined) (where.push('project_id = ?'), args.push(params.projectId))
  const rows = db
    .prepare(
      `SELECT id, name, kind, status, seed, config_hash, config_json, created_at, finished_at, error FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC`
    )
    .all(...args) as Row[]

  const modelRows = rows.filter((r) => isModelRunKind(r.kind)).slice(0, params.limit)
  const ids = modelRows.map((r) => r.id)
  const filed = new Map(ids.length ? selectRuns(db, { ids, includeArchived: true, limit: 10_000 }).map((r) => [r.id, r]) : [])
  // The headline numbers are the results table's, so the Runs screen and Compare never disagree.
  const headlines = new Map<number, RunHeadline>(ids.length ? buildResultsTable(db, { ids }).headlines.map((h) => [h.runId, h]) : [])
  const { studies, byRun: studiesByRun } = studiesOf(db)

  const nested = new Map<number, MeasurementRun[]>(ids.map((id) => [id, []]))
  const unattached: MeasurementRun[] = []
  for (const r of rows) {
    if (isModelRunKind(r.kind)) continue
    const measurement: MeasurementRun = {
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      createdAt: r.created_at,
      error: r.error,
      progress: isActive(r.status) ? progressOf(r.id) : null,
      targetRunIds: targetsOf(JSON.parse(r.config_json) as Record<string, unknown>)
    }
    const homes = measurement.targetRunIds.filter((id) => nested.has(id))
    if (homes.length === 0) unattached.push(measurement)
    for (const id of homes) nested.get(id)!.push(measurement)
  }

  const models: OverviewModel[] = modelRows.map((r) => {
    const info = filed.get(r.id)
    const finished = !isActive(r.status) && r.finished_at !== null
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      seed: r.seed,
      configHash: r.config_hash,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      error: r.error,
      progress: isActive(r.status) ? progressOf(r.id) : null,
      dataset: info?.dataset ?? null,
      arch: info?.arch ?? null,
      defence: info?.defence ?? 'none',
      tags: info?.tags ?? [],
      starred: info?.starred ?? false,
      config: flattenConfig(JSON.parse(r.config_json)),
      metrics: finished ? digestedFinals(db, r.id, r.finished_at as string) : {},
      headline: headlines.get(r.id) ?? { runId: r.id, clean: null, robust: null, verdict: null },
      studyIds: studiesByRun.get(r.id) ?? [],
      measurements: nested.get(r.id) ?? []
    }
  })
  const listedStudies = new Set(models.flatMap((m) => m.studyIds))
  return { models, studies: studies.filter((s) => listedStudies.has(s.id)), unattached }
}
