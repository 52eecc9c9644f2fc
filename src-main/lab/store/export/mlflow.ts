/**
 * An MLflow file store (the `mlruns/` layout of mlflow.store.tracking.file_store.FileStore):
 *
 *   <root>/<experiment id>/meta.yaml
 *   <root>/<experiment id>/<run id>/meta.yaml
 *   <root>/<experiment id>/<run id>/params/<key>          the value, as text
 *   <root>/<experiment id>/<run id>/metrics/<key>         lines "timestamp_ms value step"
 *   <root>/<experiment id>/<run id>/tags/<key>            the value, as text
 *   <root>/<experiment id>/<run id>/artifacts/…           checkpoints, gallery, evaluations.json
 *
 * Run ids are the run's uid without dashes, so exporting a run again overwrites it in place.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type Database from 'better-sqlite3'
import { LabError } from '../../../api/errors'
import { flattenConfig } from '../compare'
import { ensureUid } from './bundle-export'
import { insideRoot } from './bundle-format'
import { completedResultRows } from '../run-results'
import { evalExportMetric } from '../../../api/metrics'

/** MLflow's RunStatus numbers: RUNNING 1, SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5. */
const STATUS: Record<string, number> = { queued: 2, running: 1, completed: 3, failed: 4, cancelled: 5, interrupted: 5 }

/** MLflow accepts letters, digits, _ - . space / in keys; anything else becomes "_". */
export function mlflowKey(key: string): string {
  return (
    key
      .replace(/[^A-Za-z0-9_\-. /]/g, '_')
      .replace(/\/+/g, '/')
      .replace(/^\/|\/$/g, '') || '_'
  )
}

const yamlString = (s: string): string => `'${s.replace(/'/g, "''")}'`
const ms = (iso: string | null): number | null => (iso ? Date.parse(iso) : null)

function writeKeyFile(dir: string, key: string, content: string): void {
  const file = path.join(dir, ...mlflowKey(key).split('/'))
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
}

function findOrCreateExperiment(root: string, name: string): string {
  // MLflow's FileStore keeps deleted experiments in .trash and creates it when missing; creating
  // it here lets `mlflow ui` open a store on a read-only medium too.
  fs.mkdirSync(path.join(root, '.trash'), { recursive: true })
  const ids = fs.readdirSync(root).filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(root, d, 'meta.yaml')))
  for (const id of ids) {
    const meta = fs.readFileSync(path.join(root, id, 'meta.yaml'), 'utf8')
    if (meta.split('\n').some((l) => l === `name: ${yamlString(name)}` || l === `name: ${name}`)) return id
  }
  const now = Date.now()
  const writeExperiment = (id: string, expName: string): void => {
    fs.mkdirSync(path.join(root, id), { recursive: true })
    fs.writeFileSync(
      path.join(root, id, 'meta.yaml'),
      [
        `artifact_location: ${pathToFileURL(path.join(root, id)).href}`,
        `creation_time: ${now}`,
        `experiment_id: '${id}'`,
        `last_update_time: ${now}`,
        'lifecycle_stage: active',
        `name: ${yamlString(expName)}`,
        ''
      ].join('\n')
    )
  }
  // MLflow expects its Default experiment (id 0) in every file store.
  if (!ids.includes('0')) writeExperiment('0', 'Default')
  const id = String(Math.max(0, ...ids.map(Number)) + 1)
  writeExperiment(id, name)
  return id
}

export function exportMlflow(
  db: Database.Database,
  dataDir: string,
  ids: readonly number[],
  root: string,
  experiment: string
): { path: string; experimentId: string; runs: number } {
  const absRoot = path.resolve(root)
  const expId = findOrCreateExperiment(absRoot, experiment)
  let count = 0
  for (const id of [...new Set(ids)]) {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined
    if (!run) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
    const runId = ensureUid(db, id).replace(/-/g, '').toLowerCase()
    const dir = path.join(absRoot, expId, runId)
    fs.rmSync(dir, { recursive: true, force: true })
    for (const sub of ['params', 'metrics', 'tags', 'artifacts']) fs.mkdirSync(path.join(dir, sub), { recursive: true })
    const start = ms(run.started_at as string | null) ?? ms(run.created_at as string) ?? Date.now()
    fs.writeFileSync(
      path.join(dir, 'meta.yaml'),
      [
        `artifact_uri: ${pathToFileURL(path.join(dir, 'artifacts')).href}`,
        `end_time: ${ms(run.finished_at as string | null) ?? 'null'}`,
        "entry_point_name: ''",
        `experiment_id: '${expId}'`,
        'lifecycle_stage: active',
        `run_id: ${runId}`,
        `run_name: ${yamlString(run.name as string)}`,
        `run_uuid: ${runId}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        `start_time: ${start}`,
        `status: ${STATUS[run.status as string] ?? 5}`,
        'tags: []',
        'user_id: advlab',
        ''
      ].join('\n')
    )
    const config = JSON.parse(run.config_json as string) as Record<string, unknown>
    for (const [key, value] of Object.entries(flattenConfig(config)))
      writeKeyFile(path.join(dir, 'params'), key, typeof value === 'string' ? value : JSON.stringify(value))
    writeKeyFile(path.join(dir, 'params'), 'seed', String(run.seed))

    const byName = new Map<string, string[]>()
    const rows = db
      .prepare('SELECT name, step, value, time FROM metrics WHERE run_id = ? ORDER BY name, step, rowid')
      .raw(true)
      .iterate(id) as Iterable<[string, number, number, number]>
    for (const [name, step, value, time] of rows) {
      const lines = byName.get(name) ?? []
      lines.push(`${Math.round(time * 1000)} ${value} ${step}`)
      byName.set(name, lines)
    }
    // Robust accuracy per attack × ε, as metrics with the ε in the name (MLflow has no 2-D keys);
    // only completed evaluations count (an unfinished one's results are partial).
    const evals = completedResultRows(db, id)
    evals.forEach((e, i) => {
      const key = evalExportMetric(e.attack, e.norm, e.epsilon)
      const lines = byName.get(key) ?? []
      lines.push(`${Date.parse(e.created_at) || start} ${e.accuracy} ${i}`)
      byName.set(key, lines)
    })
    for (const [name, lines] of byName) writeKeyFile(path.join(dir, 'metrics'), name, lines.join('\n') + '\n')

    const tags = (db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').all(id) as { tag: string }[]).map((t) => t.tag)
    const tagFiles: Record<string, string> = {
      'mlflow.runName': run.name as string,
      'mlflow.user': 'advlab',
      'mlflow.source.name': 'AdvLab',
      'mlflow.source.type': 'LOCAL',
      'advlab.id': String(id),
      'advlab.kind': run.kind as string,
      'advlab.configHash': run.config_hash as string,
      'advlab.status': run.status as string
    }
    if (run.note) tagFiles['mlflow.note.content'] = run.note as string
    if (run.backend) tagFiles['advlab.backend'] = run.backend as string
    for (const t of tags) tagFiles[`advlab.tag.${t}`] = 'true'
    for (const [k, v] of Object.entries(tagFiles)) writeKeyFile(path.join(dir, 'tags'), k, v)

    fs.writeFileSync(path.join(dir, 'artifacts', 'evaluations.json'), JSON.stringify(evals, null, 2))
    for (const a of db.prepare('SELECT kind, path FROM artifacts WHERE run_id = ?').all(id) as Array<{ kind: string; path: string }>) {
      const src = insideRoot(dataDir, a.path.split(path.sep).join('/'))
      if (!fs.existsSync(src)) continue
      const dest = path.join(dir, 'artifacts', a.kind, path.basename(a.path))
      fs.mkdirSync(path.dirname(dest), { recursive: true })
      fs.copyFileSync(src, dest)
    }
    count++
  }
  return { path: absRoot, experimentId: expId, runs: count }
}
