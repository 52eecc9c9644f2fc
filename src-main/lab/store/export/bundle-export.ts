/**
 * Exporting runs as a `.advlab.zip` bundle (the format is in bundle-format.ts; importing one is in
 * bundle-import.ts), streamed: no file of it is held whole in memory, each is hashed as it is written.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate'
import { LabError } from '../../../api/errors'
import { APP_VERSION } from '../../version'
import type { BundleCell } from '../../../api/log'
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, insideRoot, type BundledEval, type BundleRun, type Manifest } from './bundle-format'
import { runIdsIn } from './bundle-links'

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
  const rows = db
    .prepare('SELECT name, step, value, time FROM metrics WHERE run_id = ? ORDER BY name, step, rowid')
    .raw(true)
    .all(runId) as [string, number, number, number][]
  // Metric names never contain commas or quotes in practice, but are quoted when they do.
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  return ['name,step,value,time', ...rows.map(([n, s, v, t]) => `${q(n)},${s},${v},${t}`)].join('\n') + '\n'
}

/** A zip written to a file as it is made, entry by entry, each hashed as its bytes go out. */
class ZipFileWriter {
  private readonly fd: number
  private readonly zip: Zip
  private failure: Error | null = null
  bytes = 0
  readonly hashes: Record<string, string> = {}

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w')
    this.zip = new Zip((error, chunk) => {
      if (error) this.failure = error
      else (fs.writeSync(this.fd, chunk), (this.bytes += chunk.byteLength))
    })
  }

  /** Adds an entry whose bytes `write` pushes in chunks; returns its size. */
  add(name: string, compress: boolean, write: (push: (chunk: Uint8Array) => void) => void, hashed = true): number {
    const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name)
    this.zip.add(entry)
    const sum = crypto.createHash('sha256')
    let size = 0
    write((chunk) => {
      sum.update(chunk)
      size += chunk.byteLength
      entry.push(chunk)
    })
    entry.push(new Uint8Array(0), true)
    if (hashed) this.hashes[name] = sum.digest('hex')
    this.check()
    return size
  }

  text(name: string, text: string): void {
    this.add(name, true, (push) => push(enc.encode(text)))
  }

  finish(manifest: Manifest): void {
    this.add('manifest.json', true, (push) => push(enc.encode(JSON.stringify(manifest, null, 2))), false)
    this.zip.end()
    this.check()
    fs.closeSync(this.fd)
  }

  abandon(): void {
    try {
      fs.closeSync(this.fd)
    } catch {
      // Already closed.
    }
  }

  private check(): void {
    if (this.failure) throw this.failure
  }
}

/** Streams a file in chunks (a checkpoint is never held whole in memory). */
function pushFile(full: string, push: (chunk: Uint8Array) => void): void {
  const fd = fs.openSync(full, 'r')
  const buf = Buffer.allocUnsafe(1 << 20)
  try {
    // A copy per chunk: the deflater may keep its input while the buffer is refilled.
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) push(new Uint8Array(buf.subarray(0, n)))
  } finally {
    fs.closeSync(fd)
  }
}

export interface BundleOptions {
  /** The sweep cell these runs are the result of. */
  cell?: BundleCell
  /** Why that cell failed. */
  error?: string
}

/**
 * Writes a bundle of the runs to `outPath`, streamed into a temp file that is renamed into place
 * when complete (a reader never sees half a bundle).
 */
export function exportBundle(
  db: Database.Database,
  dataDir: string,
  ids: readonly number[],
  outPath: string,
  options: BundleOptions = {}
): { path: string; bytes: number; runs: number } {
  const unique = [...new Set(ids)]
  const get = db.prepare(
    `SELECT r.*, p.name AS project, d.name AS dataset_name, d.content_hash AS dataset_hash FROM runs r
     LEFT JOIN projects p ON p.id = r.project_id LEFT JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?`
  )
  const rows = unique.map((id) => {
    const uid = ensureUid(db, id)
    const r = get.get(id) as RunRow
    if (r.status === 'queued' || r.status === 'running')
      throw new LabError('conflict', `Run ${id} is ${r.status}; export it when it has ended.`, 'ids')
    return { id, uid, r }
  })
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true })
  const tmp = `${outPath}.partial-${process.pid}`
  const zip = new ZipFileWriter(tmp)
  try {
    const runs = rows.map(({ id, uid, r }) => writeRun(db, dataDir, zip, id, uid, r))
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      schemaVersion: BUNDLE_SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      files: zip.hashes,
      runs,
      ...(options.cell ? { cell: options.cell } : {}),
      ...(options.error !== undefined ? { error: options.error } : {})
    }
    zip.finish(manifest)
    fs.renameSync(tmp, outPath)
    return { path: path.resolve(outPath), bytes: zip.bytes, runs: runs.length }
  } catch (error) {
    zip.abandon()
    fs.rmSync(tmp, { force: true })
    throw error
  }
}

/** The uid of every run the config names by id (bundle-links.ts), so importing can map them. */
function linksOf(db: Database.Database, kind: string, config: Record<string, unknown>): Record<string, string> | undefined {
  const kindOf = db.prepare('SELECT kind FROM runs WHERE id = ?')
  const linked = runIdsIn(kind, config, (id) => (kindOf.get(id) as { kind: string } | undefined)?.kind)
  // A run deleted since has no uid to give; importing then says so instead of guessing.
  const present = linked.filter((id) => kindOf.get(id))
  return present.length ? Object.fromEntries(present.map((id) => [String(id), ensureUid(db, id)])) : undefined
}

function writeRun(db: Database.Database, dataDir: string, zip: ZipFileWriter, id: number, uid: string, r: RunRow): BundleRun {
  const dir = `runs/${uid}`
  const config = JSON.parse(r.config_json) as Record<string, unknown>
  zip.text(`${dir}/config.json`, JSON.stringify(config, null, 2))
  zip.text(`${dir}/metrics.csv`, metricsCsv(db, id))
  const evals = db
    .prepare(
      'SELECT id, attack, norm, epsilon, seed, n, accuracy, clean_accuracy, params_json, seconds, created_at FROM eval_results WHERE run_id = ? ORDER BY id'
    )
    .all(id) as EvalRow[]
  const samples = db
    .prepare(
      'SELECT sample_index, label, clean_prediction, adversarial_prediction, perturbation_norm FROM eval_samples WHERE result_id = ? ORDER BY sample_index'
    )
    .raw(true)
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
        ? {
            indices: rows.map((r) => r[0]),
            labels: rows.map((r) => r[1]),
            cleanPredictions: rows.map((r) => r[2]),
            adversarialPredictions: rows.map((r) => r[3]),
            perturbationNorms: rows.map((r) => r[4])
          }
        : null
    }
  })
  zip.text(`${dir}/evaluations.json`, JSON.stringify(bundledEvals))
  const verdicts = db
    .prepare('SELECT verdict, fired, checks_json, created_at FROM masking_verdicts WHERE run_id = ? ORDER BY id')
    .all(id) as Array<{ verdict: string; fired: string; checks_json: string; created_at: string }>
  zip.text(
    `${dir}/verdicts.json`,
    JSON.stringify(
      verdicts.map((v) => ({
        verdict: v.verdict,
        fired: v.fired ? v.fired.split(',').map(Number) : [],
        checks: JSON.parse(v.checks_json),
        createdAt: v.created_at
      }))
    )
  )
  const scores = db
    .prepare('SELECT metric, norm, value, details_json, created_at FROM eval_scores WHERE run_id = ? ORDER BY id')
    .all(id) as Array<{ metric: string; norm: string; value: number | null; details_json: string; created_at: string }>
  zip.text(
    `${dir}/scores.json`,
    JSON.stringify(
      scores.map((c) => ({ metric: c.metric, norm: c.norm, value: c.value, details: JSON.parse(c.details_json), createdAt: c.created_at }))
    )
  )
  const events = db.prepare('SELECT level, message, data_json, time FROM events WHERE run_id = ? ORDER BY id').all(id) as Array<{
    level: string
    message: string
    data_json: string | null
    time: number
  }>
  zip.text(
    `${dir}/events.jsonl`,
    events
      .map((e) => JSON.stringify({ level: e.level, message: e.message, data: e.data_json ? JSON.parse(e.data_json) : null, time: e.time }))
      .join('\n')
  )
  const artifacts: BundleRun['files']['artifacts'] = []
  for (const a of db.prepare('SELECT kind, path, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY id').all(id) as Array<{
    kind: string
    path: string
    sha256: string
    bytes: number
  }>) {
    const rel = a.path.split(path.sep).join('/')
    const full = insideRoot(dataDir, rel)
    if (!fs.existsSync(full))
      throw new LabError(
        'not_found',
        `Run ${id}'s ${a.kind} file ${full} is missing from the data directory; the bundle would be incomplete.`,
        'ids'
      )
    const name = `${dir}/artifacts/${rel}`
    // Weights and images are compressed already; only text is deflated.
    const bytes = zip.add(name, /\.(json|txt|csv)$/i.test(rel), (push) => pushFile(full, push))
    artifacts.push({ kind: a.kind, path: name, dataPath: rel, sha256: zip.hashes[name], bytes })
  }
  return {
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
    links: linksOf(db, r.kind, config),
    tags: (db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').all(id) as { tag: string }[]).map((t) => t.tag),
    files: {
      config: `${dir}/config.json`,
      metrics: `${dir}/metrics.csv`,
      evaluations: `${dir}/evaluations.json`,
      verdicts: `${dir}/verdicts.json`,
      scores: `${dir}/scores.json`,
      events: `${dir}/events.jsonl`,
      artifacts
    }
  }
}
