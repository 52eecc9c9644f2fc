/**
 * Exporting runs as a `.advlab.zip` bundle (the format is in bundle-format.ts; importing one is in
 * bundle-import.ts).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { zipSync, type Zippable } from 'fflate'
import { LabError } from '../../../api/errors'
import { APP_VERSION } from '../../version'
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, insideRoot, sha256, type BundledEval, type BundleRun, type Manifest } from './bundle-format'

interface RunRow {
  id: number
  uid: string | null
  name: string
  kind: string
  status: BundleRun['status']
  seed: number
  config_json: string
  config_hash: string
  backend: string | null
  error: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  note: string
  starred: number
  project: string | null
  dataset_name: string | null
  dataset_hash: string | null
}

interface EvalRow {
  id: number
  attack: string
  norm: string
  epsilon: number
  seed: number
  n: number
  accuracy: number
  clean_accuracy: number | null
  params_json: string
  seconds: number | null
  created_at: string
}

const enc = new TextEncoder()

/** A run's stable identity across machines, assigned the first time it leaves this log. */
export function ensureUid(db: Database.Database, id: number): string {
  const row = db.prepare('SELECT uid FROM runs WHERE id = ?').get(id) as { uid: string | null } | undefined
  if (!row) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
  if (row.uid) return row.uid
  const uid = crypto.randomUUID()
  db.prepare('UPDATE runs SET uid = ? WHERE id = ?').run(uid, id)
  return uid
}

function metricsCsv(db: Database.Database, runId: number): string {
  const rows = db.prepare('SELECT name, step, value, time FROM metrics WHERE run_id = ? ORDER BY name, step, rowid').raw(true).all(runId) as [string, number, number, number][]
  // Metric names never contain commas or quotes in practice, but are quoted when they do.
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  return ['name,step,value,time', ...rows.map(([n, s, v, t]) => `${q(n)},${s},${v},${t}`)].join('\n') + '\n'
}

/** Writes a bundle of the runs to `outPath` (atomically: a temp file renamed into place). */
export function exportBundle(db: Database.Database, dataDir: string, ids: readonly number[], outPath: string): { path: string; bytes: number; runs: number } {
  const files: Zippable = {}
  const hashes: Record<string, string> = {}
  const put = (name: string, data: Uint8Array, compress: boolean): void => {
    files[name] = [data, { level: compress ? 6 : 0 }]
    hashes[name] = sha256(data)
  }
  const runs: BundleRun[] = []
  for (const id of [...new Set(ids)]) {
    const uid = ensureUid(db, id)
    const r = db
      .prepare(
        `SELECT r.*, p.name AS project, d.name AS dataset_name, d.content_hash AS dataset_hash FROM runs r
         LEFT JOIN projects p ON p.id = r.project_id LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?`
      )
      .get(id) as RunRow
    if (r.status === 'queued' || r.status === 'running') throw new LabError('conflict', `Run ${id} is ${r.status}; export it when it has ended.`, 'ids')
    const dir = `runs/${uid}`
    put(`${dir}/config.json`, enc.encode(JSON.stringify(JSON.parse(r.config_json), null, 2)), true)
    put(`${dir}/metrics.csv`, enc.encode(metricsCsv(db, id)), true)
    const evals = db.prepare('SELECT id, attack, norm, epsilon, seed, n, accuracy, clean_accuracy, params_json, seconds, created_at FROM eval_results WHERE run_id = ? ORDER BY id').all(id) as EvalRow[]
    const samples = db.prepare('SELECT sample_index, label, clean_prediction, adversarial_prediction, perturbation_norm FROM eval_samples WHERE result_id = ? ORDER BY sample_index').raw(true)
    const bundledEvals: BundledEval[] = evals.map((e) => {
      const rows = samples.all(e.id) as [number, number, number, number, number | null][]
      return {
        attack: e.attack,
        norm: e.norm,
        epsilon: e.epsilon,
        seed: e.seed,
        n: e.n,
        accuracy: e.accuracy,
        cleanAccuracy: e.clean_accuracy,
        params: JSON.parse(e.params_json),
        seconds: e.seconds,
        createdAt: e.created_at,
        // Columns rather than objects: a thousand samples stay a few kilobytes.
        samples: rows.length
          ? { indices: rows.map((r) => r[0]), labels: rows.map((r) => r[1]), cleanPredictions: rows.map((r) => r[2]), adversarialPredictions: rows.map((r) => r[3]), perturbationNorms: rows.map((r) => r[4]) }
          : null
      }
    })
    put(`${dir}/evaluations.json`, enc.encode(JSON.stringify(bundledEvals)), true)
    const verdicts = db.prepare('SELECT verdict, fired, checks_json, created_at FROM masking_verdicts WHERE run_id = ? ORDER BY id').all(id) as Array<{ verdict: string; fired: string; checks_json: string; created_at: string }>
    put(`${dir}/verdicts.json`, enc.encode(JSON.stringify(verdicts.map((v) => ({ verdict: v.verdict, fired: v.fired ? v.fired.split(',').map(Number) : [], checks: JSON.parse(v.checks_json), createdAt: v.created_at })))), true)
    const scores = db.prepare('SELECT metric, norm, value, details_json, created_at FROM eval_scores WHERE run_id = ? ORDER BY id').all(id) as Array<{ metric: string; norm: string; value: number | null; details_json: string; created_at: string }>
    put(`${dir}/scores.json`, enc.encode(JSON.stringify(scores.map((c) => ({ metric: c.metric, norm: c.norm, value: c.value, details: JSON.parse(c.details_json), createdAt: c.created_at })))), true)
    const events = db.prepare('SELECT level, message, data_json, time FROM events WHERE run_id = ? ORDER BY id').all(id) as Array<{ level: string; message: string; data_json: string | null; time: number }>
    put(`${dir}/events.jsonl`, enc.encode(events.map((e) => JSON.stringify({ level: e.level, message: e.message, data: e.data_json ? JSON.parse(e.data_json) : null, time: e.time })).join('\n')), true)
    const artifacts: BundleRun['files']['artifacts'] = []
    for (const a of db.prepare('SELECT kind, path, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY id').all(id) as Array<{ kind: string; path: string; sha256: string; bytes: number }>) {
      const rel = a.path.split(path.sep).join('/')
      const full = insideRoot(dataDir, rel)
      if (!fs.existsSync(full)) throw new LabError('not_found', `Run ${id}'s ${a.kind} file ${full} is missing from the data directory; the bundle would be incomplete.`, 'ids')
      const data = new Uint8Array(fs.readFileSync(full))
      const name = `${dir}/artifacts/${rel}`
      put(name, data, /\.(json|txt|csv)$/i.test(rel))
      artifacts.push({ kind: a.kind, path: name, dataPath: rel, sha256: hashes[name], bytes: data.byteLength })
    }
    runs.push({
      uid,
      name: r.name,
      kind: r.kind,
      status: r.status,
      seed: r.seed,
      configHash: r.config_hash,
      backend: r.backend,
      error: r.error,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      project: r.project,
      dataset: r.dataset_name && r.dataset_hash ? { name: r.dataset_name, contentHash: r.dataset_hash } : null,
      note: r.note,
      starred: r.starred === 1,
      tags: (db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').all(id) as { tag: string }[]).map((t) => t.tag),
      files: { config: `${dir}/config.json`, metrics: `${dir}/metrics.csv`, evaluations: `${dir}/evaluations.json`, verdicts: `${dir}/verdicts.json`, scores: `${dir}/scores.json`, events: `${dir}/events.jsonl`, artifacts }
    })
  }
  const manifest: Manifest = { format: BUNDLE_FORMAT, schemaVersion: BUNDLE_SCHEMA_VERSION, createdAt: new Date().toISOString(), appVersion: APP_VERSION, files: hashes, runs }
  files['manifest.json'] = [enc.encode(JSON.stringify(manifest, null, 2)), { level: 6 }]
  const zip = zipSync(files)
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true })
  const tmp = `${outPath}.partial-${process.pid}`
  fs.writeFileSync(tmp, zip)
  fs.renameSync(tmp, outPath)
  return { path: path.resolve(outPath), bytes: zip.byteLength, runs: runs.length }
}
