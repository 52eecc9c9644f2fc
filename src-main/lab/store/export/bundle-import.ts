/**
 * Importing a `.advlab.zip` bundle (zip or unpacked folder) into this log. Import is all or
 * nothing: the whole bundle is read and checked (format, schema version, every path, every
 * checksum, every row) before a byte is written; a run already present (same uid) is skipped, so
 * importing twice never duplicates.
 */
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { unzipSync } from 'fflate'
import { z } from 'zod'
import { LabError } from '../../../api/errors'
import { buildMissingDigests } from '../metric-digests'
import { configHash } from '../runs'
import {
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA_VERSION,
  BundledEvalSchema,
  BundleRunSchema,
  insideRoot,
  MAX_UNPACKED_BYTES,
  ManifestSchema,
  ScoreSchema,
  sha256,
  unsafeArchivePath,
  VerdictSchema,
  type BundledEval,
  type BundleRun,
  type Manifest
} from './bundle-format'

const dec = new TextDecoder('utf-8', { fatal: true })

const reject = (file: string, why: string): never => {
  throw new LabError('bad_input', `${file} cannot be imported: ${why}. Nothing was imported.`, 'path')
}

/** Reads a bundle (zip or folder) into memory, refusing unsafe paths before anything is inflated. */
function readBundleFiles(source: string): Record<string, Uint8Array> {
  if (!fs.existsSync(source)) throw new LabError('not_found', `${source} does not exist. Give the path of a .advlab.zip bundle or of an unpacked bundle folder.`, 'path')
  if (fs.statSync(source).isDirectory()) {
    const out: Record<string, Uint8Array> = {}
    const walk = (dir: string, prefix: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const rel = prefix ? `${prefix}/${e.name}` : e.name
        if (e.isSymbolicLink()) reject(source, `"${rel}" is a symbolic link, which a bundle never contains`)
        if (e.isDirectory()) walk(path.join(dir, e.name), rel)
        else if (e.isFile()) out[rel] = new Uint8Array(fs.readFileSync(path.join(dir, e.name)))
      }
    }
    walk(source, '')
    return out
  }
  const data = new Uint8Array(fs.readFileSync(source))
  let unsafe: string | null = null
  let declared = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(data, {
      filter: (f) => {
        const why = f.name.endsWith('/') ? null : unsafeArchivePath(f.name)
        if (why && !unsafe) unsafe = `the archive entry "${f.name}" is refused because ${why}`
        // Sizes are checked before inflating, so a zip bomb is refused instead of filling memory.
        declared += f.originalSize
        if (!unsafe && declared > MAX_UNPACKED_BYTES) unsafe = `it would unpack to more than ${MAX_UNPACKED_BYTES / 2 ** 30} GiB`
        return !unsafe && !f.name.endsWith('/')
      }
    })
  } catch (error) {
    return reject(source, `it is not a complete zip archive (${(error as Error).message}); it may be truncated or damaged — copy it again`)
  }
  if (unsafe) reject(source, unsafe)
  return files
}

interface CheckedRun {
  run: BundleRun
  config: Record<string, unknown>
  metrics: Array<[string, number, number, number]>
  evaluations: BundledEval[]
  verdicts: Array<z.infer<typeof VerdictSchema>>
  scores: Array<z.infer<typeof ScoreSchema>>
  events: Array<{ level: string; message: string; data: unknown; time: number }>
}

function parseMetricsCsv(text: string, where: string, file: string): CheckedRun['metrics'] {
  const lines = text.split('\n').filter((l) => l.length > 0)
  if (lines[0] !== 'name,step,value,time') reject(file, `${where} does not start with the header "name,step,value,time"`)
  const out: CheckedRun['metrics'] = []
  for (let i = 1; i < lines.length; i++) {
    const m = /^("(?:[^"]|"")*"|[^,]*),(-?\d+),([^,]+),([^,]+)$/.exec(lines[i])
    const value = m ? Number(m[3]) : NaN
    const time = m ? Number(m[4]) : NaN
    if (!m || (Number.isNaN(value) && m[3] !== 'NaN') || Number.isNaN(time)) reject(file, `${where} line ${i + 1} is not "name,step,value,time": ${lines[i].slice(0, 80)}`)
    const name = (m as RegExpExecArray)[1].startsWith('"') ? (m as RegExpExecArray)[1].slice(1, -1).replace(/""/g, '"') : (m as RegExpExecArray)[1]
    out.push([name, Number((m as RegExpExecArray)[2]), value, time])
  }
  return out
}

/** Checks a bundle completely; throws the first reason it cannot be imported. */
export function checkBundle(source: string): { manifest: Manifest; runs: CheckedRun[]; files: Record<string, Uint8Array> } {
  const files = readBundleFiles(source)
  const raw = files['manifest.json'] ?? reject(source, 'it has no manifest.json at its root (is it an AdvLab bundle?)')
  let json: unknown
  try {
    json = JSON.parse(dec.decode(raw))
  } catch {
    reject(source, 'its manifest.json is not valid JSON')
  }
  const head = json as { format?: unknown; schemaVersion?: unknown }
  if (head?.format !== BUNDLE_FORMAT) reject(source, `its manifest says format "${String(head?.format)}", not "${BUNDLE_FORMAT}"`)
  if (head.schemaVersion !== BUNDLE_SCHEMA_VERSION)
    reject(
      source,
      typeof head.schemaVersion === 'number' && head.schemaVersion > BUNDLE_SCHEMA_VERSION
        ? `it was written with bundle schema version ${head.schemaVersion}, newer than this AdvLab reads (${BUNDLE_SCHEMA_VERSION}); update AdvLab to import it`
        : `its bundle schema version is ${String(head.schemaVersion)}, and this AdvLab reads version ${BUNDLE_SCHEMA_VERSION}`
    )
  const parsed = ManifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    reject(source, `its manifest field "${issue.path.join('.')}" ${issue.message.toLowerCase()}`)
  }
  const manifest = (parsed as { data: Manifest }).data
  for (const [name, hash] of Object.entries(manifest.files)) {
    const why = unsafeArchivePath(name)
    if (why) reject(source, `the manifest names "${name}", which is refused because ${why}`)
    const data = files[name] ?? reject(source, `the file "${name}" listed in its manifest is missing`)
    if (sha256(data) !== hash) reject(source, `the file "${name}" does not match its checksum (the bundle is damaged)`)
  }
  const uids = new Set<string>()
  const runs = manifest.runs.map((run) => {
    BundleRunSchema.parse(run)
    if (uids.has(run.uid)) reject(source, `run uid ${run.uid} appears twice`)
    uids.add(run.uid)
    const text = (name: string): string => {
      if (!(name in manifest.files)) reject(source, `"${name}" of run "${run.name}" is not listed with a checksum`)
      try {
        return dec.decode(files[name])
      } catch {
        return reject(source, `"${name}" is not UTF-8 text`)
      }
    }
    const json = <T>(name: string): T => {
      try {
        return JSON.parse(text(name)) as T
      } catch (error) {
        if (error instanceof LabError) throw error
        return reject(source, `"${name}" is not valid JSON`)
      }
    }
    const checked = <T>(schema: z.ZodType<T>, value: unknown, name: string): T => {
      const r = schema.safeParse(value)
      if (!r.success) reject(source, `"${name}" of run "${run.name}": field "${r.error.issues[0].path.join('.')}" ${r.error.issues[0].message.toLowerCase()}`)
      return (r as { data: T }).data
    }
    for (const a of run.files.artifacts) {
      if (!(a.path in manifest.files)) reject(source, `artifact "${a.path}" of run "${run.name}" is not listed with a checksum`)
      const why = unsafeArchivePath(a.dataPath)
      if (why) reject(source, `artifact "${a.path}" would be placed at "${a.dataPath}", which is refused because ${why}`)
    }
    const events = text(run.files.events)
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l, i) => {
        try {
          return JSON.parse(l) as CheckedRun['events'][number]
        } catch {
          return reject(source, `"${run.files.events}" line ${i + 1} is not JSON`)
        }
      })
    return {
      run,
      config: json<Record<string, unknown>>(run.files.config),
      metrics: parseMetricsCsv(text(run.files.metrics), `"${run.files.metrics}"`, source),
      evaluations: checked(z.array(BundledEvalSchema), json(run.files.evaluations), run.files.evaluations),
      verdicts: checked(z.array(VerdictSchema), json(run.files.verdicts), run.files.verdicts),
      scores: checked(z.array(ScoreSchema), json(run.files.scores), run.files.scores),
      events
    }
  })
  return { manifest, runs, files }
}

/**
 * Imports a checked bundle. Artifacts go to `imported/<uid>/<their original path>` inside the
 * data directory; files are put in place first and removed again if the log transaction fails, so
 * the log never points at a file that is not there.
 */
export function importBundle(db: Database.Database, dataDir: string, source: string): { imported: Array<{ id: number; name: string; uid: string }>; skipped: Array<{ id: number; name: string; uid: string }> } {
  const { runs, files } = checkBundle(source)
  const existing = db.prepare('SELECT id FROM runs WHERE uid = ?')
  const skipped: Array<{ id: number; name: string; uid: string }> = []
  const todo: CheckedRun[] = []
  for (const c of runs) {
    const row = existing.get(c.run.uid) as { id: number } | undefined
    if (row) skipped.push({ id: row.id, name: c.run.name, uid: c.run.uid })
    else todo.push(c)
  }
  const placed: string[] = []
  let imported: Array<{ id: number; name: string; uid: string }>
  const planned = todo.flatMap((c) => c.run.files.artifacts.map((a) => ({ c, a, rel: `imported/${c.run.uid}/${a.dataPath}`, full: insideRoot(dataDir, `imported/${c.run.uid}/${a.dataPath}`) })))
  try {
    for (const p of planned) {
      fs.mkdirSync(path.dirname(p.full), { recursive: true })
      fs.writeFileSync(p.full, files[p.a.path])
      placed.push(p.full)
    }
    imported = db.transaction(() => {
      const out: Array<{ id: number; name: string; uid: string }> = []
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
      const insertVerdict = db.prepare('INSERT INTO masking_verdicts (run_id, eval_run_id, verdict, fired, checks_json, created_at) VALUES (?, NULL, ?, ?, ?, ?)')
      const insertScore = db.prepare('INSERT INTO eval_scores (run_id, eval_run_id, metric, norm, value, details_json, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?)')
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
        const datasetId = r.dataset ? ((db.prepare('SELECT id FROM datasets WHERE content_hash = ?').get(r.dataset.contentHash) as { id: number } | undefined)?.id ?? null) : null
        // An imported run is history, never live: a run exported mid-way comes in as interrupted.
        const status = r.status === 'queued' || r.status === 'running' ? 'interrupted' : r.status
        const id = Number(
          // Hashed under this log's rule (store/runs.ts), not the exporting AdvLab's, so repeats group.
          insertRun.run(projectId, datasetId, r.name, r.kind, status, JSON.stringify(c.config), configHash(c.config as Record<string, unknown>), r.seed, r.backend, r.error, r.createdAt, r.startedAt, r.finishedAt, now, r.note, r.starred ? 1 : 0, r.uid).lastInsertRowid
        )
        for (const m of c.metrics) insertMetric.run(id, m[0], m[1], m[2], m[3])
        // The eval run that produced a result stays behind on the exporting machine: eval_run_id is null.
        for (const e of c.evaluations) {
          const rid = Number(insertEval.run(id, e.attack, e.norm, e.epsilon, e.seed, e.n, e.accuracy, e.cleanAccuracy, JSON.stringify(e.params), e.seconds, e.createdAt).lastInsertRowid)
          const s = e.samples
          if (s) for (let i = 0; i < s.indices.length; i++) insertSample.run(rid, s.indices[i], s.labels[i], s.cleanPredictions[i], s.adversarialPredictions[i], s.cleanPredictions[i] === s.labels[i] ? 1 : 0, s.adversarialPredictions[i] === s.labels[i] ? 1 : 0, s.perturbationNorms[i])
        }
        for (const v of c.verdicts) insertVerdict.run(id, v.verdict, v.fired.join(','), JSON.stringify(v.checks), v.createdAt)
        for (const sc of c.scores) insertScore.run(id, sc.metric, sc.norm, sc.value, JSON.stringify(sc.details), sc.createdAt)
        for (const e of c.events) insertEvent.run(id, e.level, e.message, e.data == null ? null : JSON.stringify(e.data), e.time)
        for (const t of r.tags) insertTag.run(id, t)
        for (const p of planned.filter((p) => p.c === c)) insertArtifact.run(id, p.a.kind, p.rel, p.a.sha256, p.a.bytes, now)
        out.push({ id, name: r.name, uid: r.uid })
      }
      return out
    })()
  } catch (error) {
    for (const f of placed) fs.rmSync(f, { force: true })
    if (error instanceof LabError) throw error
    throw new LabError('bad_input', `${source} cannot be imported: ${(error as Error).message}. Nothing was imported.`, 'path')
  }
  // Imported runs are finished: digest them now, so the first comparison of them is fast.
  buildMissingDigests(db, Infinity, imported.map((r) => r.id))
  return { imported, skipped }
}
