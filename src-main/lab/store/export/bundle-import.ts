/**
 * Importing a `.advlab.zip` bundle (zip or unpacked folder) into this log. Import is all or
 * nothing: the whole bundle is checked (bundle-check.ts) before a byte is written; its artifacts
 * are staged and renamed into place only once the log transaction has committed
 * (bundle-staging.ts). A run already present (same uid) is skipped, so importing twice never
 * duplicates; the run ids inside configs become this log's ids (bundle-links.ts); a bundle of a
 * sweep cell replaces the earlier result of that cell (moved to the trash) instead of adding a
 * repeat of it.
 */
import type Database from 'better-sqlite3'
import { LabError } from '../../../api/errors'
import { buildMissingDigests } from '../metric-digests'
import { trashRuns } from '../organise'
import { configHash } from '../runs'
import { insideRoot } from './bundle-format'
import { checkBundle, readBundleManifest, refuse, type CheckedBundle, type CheckedRun } from './bundle-check'
import { mapRunIds, runIdsIn } from './bundle-links'
import { openBundleSource } from './bundle-source'
import { cleanStaleStaging, dropStaging, placeStaged, stageFiles, type Staging } from './bundle-staging'

export { checkBundle } from './bundle-check'

interface RunRef {
  id: number
  name: string
  uid: string
}

export interface ImportResult {
  imported: RunRef[]
  skipped: RunRef[]
  replaced: RunRef[]
  superseded: Array<{ name: string; uid: string }>
}

export function importBundle(db: Database.Database, dataDir: string, source: string): ImportResult {
  // What an import that died left behind is finished or removed first.
  cleanStaleStaging(db, dataDir)
  const existing = db.prepare('SELECT id FROM runs WHERE uid = ?')
  const result: ImportResult = { imported: [], skipped: [], replaced: [], superseded: [] }
  // Every run here already (a folder merged again): nothing will be written, nothing more to read.
  const manifest = readBundleManifest(source)
  const present = manifest.runs.map((r) => ({ id: (existing.get(r.uid) as { id: number } | undefined)?.id, name: r.name, uid: r.uid }))
  if (present.every((r) => r.id !== undefined)) return { ...result, skipped: present as RunRef[] }
  const bundle = checkBundle(source)
  let todo: CheckedRun[] = []
  for (const c of bundle.runs) {
    const row = existing.get(c.run.uid) as { id: number } | undefined
    if (row) result.skipped.push({ id: row.id, name: c.run.name, uid: c.run.uid })
    else todo.push(c)
  }
  const cell = earlierResultOfCell(db, bundle)
  if (cell.newer && todo.length) {
    result.superseded = todo.map((c) => ({ name: c.run.name, uid: c.run.uid }))
    todo = []
  }
  if (!todo.length) return result
  const uidToKind = resolveLinks(db, source, bundle, todo)

  const files = todo.flatMap((c) =>
    c.run.files.artifacts.map((a) => {
      const to = `imported/${c.run.uid}/${a.dataPath}`
      insideRoot(dataDir, to)
      return { entry: a.path, to, uid: c.run.uid, sha256: a.sha256, bytes: a.bytes, kind: a.kind, c }
    })
  )
  const src = openBundleSource(source)
  let staging: Staging
  try {
    staging = stageFiles(dataDir, src, files, (why) => refuse(source, why))
  } finally {
    src.close()
  }
  try {
    result.imported = db.transaction(() => {
      const ids = insertRuns(db, todo, files)
      linkConfigs(db, todo, ids, uidToKind)
      if (bundle.manifest.cell) {
        const { sweepId, index, configHash: hash } = bundle.manifest.cell
        const insert = db.prepare(
          'INSERT INTO sweep_cells (run_id, sweep_id, cell_index, config_hash, bundled_at, error) VALUES (?, ?, ?, ?, ?, ?)'
        )
        for (const c of todo) insert.run(ids.get(c.run.uid), sweepId, index, hash, bundle.manifest.createdAt, bundle.manifest.error ?? null)
        trashRuns(
          db,
          cell.earlier.map((r) => r.id)
        )
        result.replaced = cell.earlier
      }
      return todo.map((c) => ({ id: ids.get(c.run.uid) as number, name: c.run.name, uid: c.run.uid }))
    })()
  } catch (error) {
    dropStaging(staging)
    if (error instanceof LabError) throw error
    refuse(source, (error as Error).message)
  }
  placeStaged(dataDir, staging)
  // Imported runs are finished: digest them now, so the first comparison of them is fast.
  buildMissingDigests(
    db,
    Infinity,
    result.imported.map((r) => r.id)
  )
  return result
}

/**
 * The runs of this log that hold an earlier result of the bundle's sweep cell (same sweep, index
 * and config hash, not in the trash, not this bundle's own runs), and whether the log's result of
 * the cell is newer than the bundle (then the bundle is the stale one and is not imported).
 */
function earlierResultOfCell(db: Database.Database, bundle: CheckedBundle): { earlier: RunRef[]; newer: boolean } {
  const cell = bundle.manifest.cell
  if (!cell) return { earlier: [], newer: false }
  const uids = new Set(bundle.runs.map((c) => c.run.uid))
  const rows = (
    db
      .prepare(
        `SELECT r.id, r.name, r.uid, s.bundled_at FROM sweep_cells s JOIN runs r ON r.id = s.run_id
         WHERE s.sweep_id = ? AND s.cell_index = ? AND s.config_hash = ? AND r.deleted_at IS NULL ORDER BY r.id`
      )
      .all(cell.sweepId, cell.index, cell.configHash) as Array<RunRef & { bundled_at: string }>
  ).filter((r) => !uids.has(r.uid))
  if (rows.some((r) => r.bundled_at > bundle.manifest.createdAt)) return { earlier: [], newer: true }
  return { earlier: rows.map(({ id, name, uid }) => ({ id, name, uid })), newer: false }
}

/**
 * Checks, before anything is written, that every run id inside the configs to import can be
 * mapped: its uid is recorded in the bundle and that run is in the bundle or already in this log.
 * Returns the kind of every run a uid names (the bundle's, then this log's).
 */
function resolveLinks(db: Database.Database, source: string, bundle: CheckedBundle, todo: CheckedRun[]): Map<string, string> {
  const kinds = new Map<string, string>(bundle.runs.map((c) => [c.run.uid, c.kind]))
  const inLog = db.prepare('SELECT kind FROM runs WHERE uid = ?')
  const kindOfUid = (uid: string): string | undefined => kinds.get(uid) ?? (inLog.get(uid) as { kind: string } | undefined)?.kind
  for (const c of todo) {
    const links = c.run.links ?? {}
    const kindOf = (id: number): string | undefined => (links[id] ? kindOfUid(links[id]) : undefined)
    for (const id of runIdsIn(c.kind, c.config, kindOf)) {
      const uid = links[id]
      if (!uid)
        refuse(
          source,
          `the config of run "${c.run.name}" names run ${id}, and the bundle does not say which run that is (it was written before bundles recorded links, or run ${id} was deleted before the export); export the runs again with this AdvLab`
        )
      if (!kindOfUid(uid))
        refuse(
          source,
          `the config of run "${c.run.name}" names run ${id} (uid ${uid}), which is neither in this bundle nor in this log; import the bundle holding that run first, or export the runs together`
        )
      kinds.set(uid, kindOfUid(uid) as string)
    }
  }
  return kinds
}

/** Rewrites the configs just inserted: run ids and the project id become this log's. */
function linkConfigs(db: Database.Database, todo: CheckedRun[], ids: Map<string, number>, kinds: Map<string, string>): void {
  const idOfUid = db.prepare('SELECT id, project_id FROM runs WHERE uid = ?')
  const update = db.prepare('UPDATE runs SET config_json = ?, config_hash = ? WHERE id = ?')
  for (const c of todo) {
    const links = c.run.links ?? {}
    const row = idOfUid.get(c.run.uid) as { id: number; project_id: number | null }
    const mapped = mapRunIds(
      c.kind,
      c.config,
      (old) => ids.get(links[old]) ?? (idOfUid.get(links[old]) as { id: number }).id,
      (old) => kinds.get(links[old])
    )
    if ('projectId' in mapped) {
      if (row.project_id === null) delete mapped.projectId
      else mapped.projectId = row.project_id
    }
    // Hashed under this log's rule (store/runs.ts), not the exporting AdvLab's, so repeats group.
    update.run(JSON.stringify(mapped), configHash(mapped), row.id)
  }
}

function insertRuns(
  db: Database.Database,
  todo: CheckedRun[],
  files: Array<{ to: string; sha256: string; bytes: number; kind: string; c: CheckedRun }>
): Map<string, number> {
  const ids = new Map<string, number>()
  const now = new Date().toISOString()
  const insertRun = db.prepare(
    `INSERT INTO runs (project_id, dataset_id, name, kind, status, config_json, config_hash, seed, backend, error, created_at, started_at, finished_at, updated_at, note, starred, uid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertMetric = db.prepare('INSERT INTO metrics (run_id, name, step, value, time) VALUES (?, ?, ?, ?, ?)')
  const insertEval = db.prepare(
    'INSERT INTO eval_results (run_id, eval_run_id, attack, norm, epsilon, seed, n, accuracy, clean_accuracy, params_json, seconds, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const insertSample = db.prepare(
    'INSERT INTO eval_samples (result_id, sample_index, label, clean_prediction, adversarial_prediction, clean_correct, adversarial_correct, perturbation_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const insertVerdict = db.prepare(
    'INSERT INTO masking_verdicts (run_id, eval_run_id, verdict, fired, checks_json, created_at) VALUES (?, NULL, ?, ?, ?, ?)'
  )
  const insertScore = db.prepare(
    'INSERT INTO eval_scores (run_id, eval_run_id, metric, norm, value, details_json, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?)'
  )
  const insertEvent = db.prepare('INSERT INTO events (run_id, level, message, data_json, time) VALUES (?, ?, ?, ?, ?)')
  const insertArtifact = db.prepare('INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const insertTag = db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)')
  for (const c of todo) {
    const r = c.run
    let projectId: number | null = null
    if (r.project) {
      db.prepare('INSERT OR IGNORE INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)').run(r.project, now, now)
      projectId = (db.prepare('SELECT id FROM projects WHERE name = ?').get(r.project) as { id: number }).id
    }
    // The dataset is linked only when this log holds the very same data (same content hash).
    const datasetId = r.dataset
      ? ((db.prepare('SELECT id FROM datasets WHERE content_hash = ?').get(r.dataset.contentHash) as { id: number } | undefined)?.id ??
        null)
      : null
    // An imported run is history, never live: a run exported mid-way comes in as interrupted.
    const status = r.status === 'queued' || r.status === 'running' ? 'interrupted' : r.status
    // The config and its hash are rewritten by linkConfigs once every run of the bundle has its id.
    const id = Number(
      insertRun.run(
        projectId,
        datasetId,
        r.name,
        r.kind,
        status,
        JSON.stringify(c.config),
        configHash(c.config),
        r.seed,
        r.backend,
        r.error,
        r.createdAt,
        r.startedAt,
        r.finishedAt,
        now,
        r.note,
        r.starred ? 1 : 0,
        r.uid
      ).lastInsertRowid
    )
    ids.set(r.uid, id)
    for (const m of c.metrics) insertMetric.run(id, m[0], m[1], m[2], m[3])
    // The eval run that produced a result stays behind on the exporting machine: eval_run_id is null.
    for (const e of c.evaluations) {
      const rid = Number(
        insertEval.run(
          id,
          e.attack,
          e.norm,
          e.epsilon,
          e.seed,
          e.n,
          e.accuracy,
          e.cleanAccuracy,
          JSON.stringify(e.params),
          e.seconds,
          e.createdAt
        ).lastInsertRowid
      )
      const s = e.samples
      if (s)
        for (let i = 0; i < s.indices.length; i++)
          insertSample.run(
            rid,
            s.indices[i],
            s.labels[i],
            s.cleanPredictions[i],
            s.adversarialPredictions[i],
            s.cleanPredictions[i] === s.labels[i] ? 1 : 0,
            s.adversarialPredictions[i] === s.labels[i] ? 1 : 0,
            s.perturbationNorms[i]
          )
    }
    for (const v of c.verdicts) insertVerdict.run(id, v.verdict, v.fired.join(','), JSON.stringify(v.checks), v.createdAt)
    for (const sc of c.scores) insertScore.run(id, sc.metric, sc.norm, sc.value, JSON.stringify(sc.details), sc.createdAt)
    for (const e of c.events) insertEvent.run(id, e.level, e.message, e.data == null ? null : JSON.stringify(e.data), e.time)
    for (const t of r.tags) insertTag.run(id, t)
    for (const f of files) if (f.c === c) insertArtifact.run(id, f.kind, f.to, f.sha256, f.bytes, now)
  }
  return ids
}
