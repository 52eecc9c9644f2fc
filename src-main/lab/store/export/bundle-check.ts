/**
 * Checking a bundle completely before anything of it is written: the archive's directory (paths,
 * links, sizes), the manifest, every file's SHA-256 and size, every run's config against its
 * kind's schema (api/run-configs.ts), its metrics (finite numbers only), results, verdicts, scores
 * and events. The first problem found is thrown, naming the bundle, the file and the field.
 */
import crypto from 'node:crypto'
import { z } from 'zod'
import { LabError } from '../../../api/errors'
import { RUN_KINDS, type RunKind } from '../../../api/runs'
import { RUN_CONFIG_SCHEMAS } from '../../../api/run-configs'
import {
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA_VERSION,
  BundledEvalSchema,
  ManifestSchema,
  READABLE_SCHEMA_VERSIONS,
  ScoreSchema,
  unsafeArchivePath,
  VerdictSchema,
  type BundledEval,
  type BundleRun,
  type Manifest
} from './bundle-format'
import { BundleUnreadable, copyOf, openBundleSource, readWhole, type BundleSource } from './bundle-source'

export interface CheckedRun {
  run: BundleRun
  kind: RunKind
  config: Record<string, unknown>
  metrics: Array<[string, number, number, number]>
  evaluations: BundledEval[]
  verdicts: Array<z.infer<typeof VerdictSchema>>
  scores: Array<z.infer<typeof ScoreSchema>>
  events: Array<z.infer<typeof EventSchema>>
}

export interface CheckedBundle {
  manifest: Manifest
  runs: CheckedRun[]
}

const EventSchema = z.object({ level: z.string().min(1), message: z.string(), data: z.unknown(), time: z.number() }).strict()
const dec = new TextDecoder('utf-8', { fatal: true })
/** Zod's messages start with a capital; they follow a colon here (field names keep their case). */
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

/** The error for a bundle that cannot be imported; nothing of it was written. */
export function refuse(bundle: string, why: string): never {
  throw new LabError('bad_input', `${bundle} cannot be imported: ${why}. Nothing was imported.`, 'path')
}

/** Checks the bundle at `bundle` (zip or folder); throws the first reason it cannot be imported. */
export function checkBundle(bundle: string): CheckedBundle {
  return withSource(bundle, (src) => checkSource(bundle, src))
}

/**
 * Only the bundle's manifest, checked: enough to see that every run of it is in the log already
 * (merging a folder again), which then needs no more reading.
 */
export function readBundleManifest(bundle: string): Manifest {
  return withSource(bundle, (src) => readManifest(bundle, src))
}

function withSource<T>(bundle: string, read: (src: BundleSource) => T): T {
  let src: BundleSource
  try {
    src = openBundleSource(bundle)
  } catch (error) {
    if (error instanceof BundleUnreadable) refuse(bundle, error.message)
    throw error
  }
  try {
    return read(src)
  } catch (error) {
    if (error instanceof BundleUnreadable) refuse(bundle, error.message)
    throw error
  } finally {
    src.close()
  }
}

function checkSource(bundle: string, src: BundleSource): CheckedBundle {
  const manifest = readManifest(bundle, src)
  // Every file is hashed as it streams; the small ones are kept for parsing below.
  const texts = new Set(
    manifest.runs.flatMap((r) => [r.files.config, r.files.metrics, r.files.evaluations, r.files.verdicts, r.files.scores, r.files.events])
  )
  const kept = new Map<string, Uint8Array>()
  for (const [name, hash] of Object.entries(manifest.files)) {
    const why = unsafeArchivePath(name)
    if (why) refuse(bundle, `the manifest names "${name}", which is refused because ${why}`)
    if (!src.entries.has(name)) refuse(bundle, `the file "${name}" listed in its manifest is missing`)
    const sum = crypto.createHash('sha256')
    const parts: Uint8Array[] = []
    src.stream(name, (c) => (sum.update(c), texts.has(name) && parts.push(copyOf(c))))
    if (sum.digest('hex') !== hash) refuse(bundle, `the file "${name}" does not match its checksum (the bundle is damaged)`)
    if (texts.has(name)) kept.set(name, Buffer.concat(parts))
  }
  for (const name of src.entries.keys())
    if (name !== 'manifest.json' && !(name in manifest.files))
      refuse(bundle, `it holds "${name}", which its manifest does not list with a checksum`)
  const uids = new Set<string>()
  const runs = manifest.runs.map((run) => {
    if (uids.has(run.uid)) refuse(bundle, `run uid ${run.uid} appears twice`)
    uids.add(run.uid)
    return checkRun(bundle, manifest, run, src, kept)
  })
  return { manifest, runs }
}

function readManifest(bundle: string, src: BundleSource): Manifest {
  if (!src.entries.has('manifest.json')) refuse(bundle, 'it has no manifest.json at its root (is it an AdvLab bundle?)')
  let json: unknown
  try {
    json = JSON.parse(dec.decode(readWhole(src, 'manifest.json')))
  } catch (error) {
    if (error instanceof BundleUnreadable) throw error
    refuse(bundle, 'its manifest.json is not valid JSON')
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    refuse(bundle, `its manifest.json is ${json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`}, not an object`)
  const head = json as { format?: unknown; schemaVersion?: unknown }
  if (head.format !== BUNDLE_FORMAT) refuse(bundle, `its manifest says format "${String(head.format)}", not "${BUNDLE_FORMAT}"`)
  if (typeof head.schemaVersion !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(head.schemaVersion))
    refuse(
      bundle,
      typeof head.schemaVersion === 'number' && head.schemaVersion > BUNDLE_SCHEMA_VERSION
        ? `it was written with bundle schema version ${head.schemaVersion}, newer than this AdvLab reads (${BUNDLE_SCHEMA_VERSION}); update AdvLab to import it`
        : `its bundle schema version is ${String(head.schemaVersion)}, and this AdvLab reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')}`
    )
  const parsed = ManifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    refuse(bundle, `its manifest.json field "${issue.path.join('.')}" ${lowerFirst(issue.message)}`)
  }
  return (parsed as { data: Manifest }).data
}

function checkRun(bundle: string, manifest: Manifest, run: BundleRun, src: BundleSource, kept: Map<string, Uint8Array>): CheckedRun {
  const text = (name: string): string => {
    const bytes = kept.get(name) ?? refuse(bundle, `"${name}" of run "${run.name}" is not listed with a checksum`)
    try {
      return dec.decode(bytes)
    } catch {
      return refuse(bundle, `"${name}" is not UTF-8 text`)
    }
  }
  const json = (name: string): unknown => {
    try {
      return JSON.parse(text(name))
    } catch (error) {
      if (error instanceof LabError) throw error
      return refuse(bundle, `"${name}" is not valid JSON`)
    }
  }
  const checked = <T>(schema: z.ZodType<T>, value: unknown, where: string): T => {
    const r = schema.safeParse(value)
    if (!r.success) {
      const issue = r.error.issues[0]
      refuse(
        bundle,
        `${where} of run "${run.name}"${issue.path.length ? `: field "${issue.path.join('.')}"` : ''}: ${lowerFirst(issue.message)}`
      )
    }
    return (r as { data: T }).data
  }
  if (!(RUN_KINDS as readonly string[]).includes(run.kind))
    refuse(bundle, `run "${run.name}" is of kind "${run.kind}", which this AdvLab does not know (it knows ${RUN_KINDS.join(', ')})`)
  const kind = run.kind as RunKind
  const config = json(run.files.config)
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    refuse(
      bundle,
      `"${run.files.config}" of run "${run.name}" is ${config === null ? 'null' : Array.isArray(config) ? 'an array' : `a ${typeof config}`}, not a ${kind} config`
    )
  // Checked, but the stored value is kept (as readRunConfig does): no default is filled in.
  checked(RUN_CONFIG_SCHEMAS[kind] as z.ZodType<unknown>, config, `"${run.files.config}" (a ${kind} config)`)
  for (const a of run.files.artifacts) {
    if (manifest.files[a.path] === undefined) refuse(bundle, `artifact "${a.path}" of run "${run.name}" is not listed with a checksum`)
    if (manifest.files[a.path] !== a.sha256)
      refuse(bundle, `artifact "${a.path}" of run "${run.name}" records a SHA-256 that differs from the manifest's list`)
    if (src.entries.get(a.path) !== a.bytes)
      refuse(bundle, `artifact "${a.path}" of run "${run.name}" records ${a.bytes} bytes, but the file holds ${src.entries.get(a.path)}`)
    const why = unsafeArchivePath(a.dataPath)
    if (why) refuse(bundle, `artifact "${a.path}" would be placed at "${a.dataPath}", which is refused because ${why}`)
  }
  const events = text(run.files.events)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l, i) => {
      let value: unknown
      try {
        value = JSON.parse(l)
      } catch {
        return refuse(bundle, `"${run.files.events}" line ${i + 1} is not JSON`)
      }
      return checked(EventSchema, value, `"${run.files.events}" line ${i + 1}`)
    })
  return {
    run,
    kind,
    config: config as Record<string, unknown>,
    metrics: parseMetricsCsv(bundle, text(run.files.metrics), run.files.metrics),
    evaluations: checked(z.array(BundledEvalSchema), json(run.files.evaluations), `"${run.files.evaluations}"`),
    verdicts: checked(z.array(VerdictSchema), json(run.files.verdicts), `"${run.files.verdicts}"`),
    scores: checked(z.array(ScoreSchema), json(run.files.scores), `"${run.files.scores}"`),
    events
  }
}

/** name,step,value,time — every value a finite number: a NaN or infinite metric is refused. */
function parseMetricsCsv(bundle: string, text: string, file: string): CheckedRun['metrics'] {
  const lines = text.split('\n').filter((l) => l.length > 0)
  if (lines[0] !== 'name,step,value,time') refuse(bundle, `"${file}" does not start with the header "name,step,value,time"`)
  const out: CheckedRun['metrics'] = []
  for (let i = 1; i < lines.length; i++) {
    const m =
      /^("(?:[^"]|"")*"|[^,]*),(-?\d+),([^,]+),([^,]+)$/.exec(lines[i]) ??
      refuse(bundle, `"${file}" line ${i + 1} is not "name,step,value,time": ${lines[i].slice(0, 80)}`)
    const [value, time] = [Number(m[3]), Number(m[4])]
    if (!Number.isFinite(value))
      refuse(bundle, `"${file}" line ${i + 1} has the metric value "${m[3]}"; a bundle carries finite numbers only`)
    if (!Number.isFinite(time)) refuse(bundle, `"${file}" line ${i + 1} has the time "${m[4]}", which is not a number`)
    const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]
    out.push([name, Number(m[2]), value, time])
  }
  return out
}
