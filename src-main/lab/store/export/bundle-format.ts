/**
 * The `.advlab.zip` run bundle: what it contains and how a bundle is checked before anything of
 * it is written. A bundle is a zip with `manifest.json` at its root and one folder per run:
 *
 *   manifest.json                      format, schema version, one entry per run (below)
 *   runs/<uid>/config.json             the run's config as it ran
 *   runs/<uid>/metrics.csv             name,step,value,time
 *   runs/<uid>/evaluations.json        results per attack × ε × seed, with per-sample outcomes
 *   runs/<uid>/verdicts.json           gradient-masking verdicts with their checks
 *   runs/<uid>/scores.json             CLEVER / Lipschitz scores
 *   runs/<uid>/events.jsonl            the run's event log, one JSON object per line
 *   runs/<uid>/artifacts/<path>        checkpoints, weights, gallery images (path as in the log)
 *
 * Every file is listed in the manifest with its SHA-256, so a damaged bundle is caught whole.
 * Version 2 added the sweep cell a bundle is the result of (and the cell's error, when it failed),
 * and each run's links: the uids of the runs its config names by id, so that importing maps those
 * ids onto the importing log's own.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { LabError } from '../../../api/errors'
import { RUN_STATUSES } from '../../../api/runs'
import { BundleCellSchema } from '../../../api/log'

export const BUNDLE_FORMAT = 'advlab-bundle'
export const BUNDLE_SCHEMA_VERSION = 2
/** Versions this AdvLab imports; a version-1 bundle has no cell and no links. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2]

const Uid = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be 8–64 letters, digits or dashes')

export const BundleRunSchema = z
  .object({
    uid: Uid,
    name: z.string().min(1).max(200),
    kind: z.string().min(1).max(50),
    status: z.enum(RUN_STATUSES),
    seed: z.number().int(),
    configHash: z.string().min(1).max(64),
    backend: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    project: z.string().nullable(),
    dataset: z.object({ name: z.string(), contentHash: z.string() }).nullable(),
    note: z.string(),
    starred: z.boolean(),
    tags: z.array(z.string()),
    /** Run id in the exporting log → that run's uid, for every id the config names. */
    links: z.record(z.string().regex(/^[1-9]\d*$/, 'must be a run id'), Uid).optional(),
    files: z.object({
      config: z.string(),
      metrics: z.string(),
      evaluations: z.string(),
      verdicts: z.string(),
      scores: z.string(),
      events: z.string(),
      artifacts: z.array(
        z.object({
          kind: z.string().min(1),
          path: z.string(),
          dataPath: z.string(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
          bytes: z.number().int().nonnegative()
        })
      )
    })
  })
  .strict()
export type BundleRun = z.infer<typeof BundleRunSchema>

export const ManifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    schemaVersion: z.number().int(),
    createdAt: z.string(),
    appVersion: z.string(),
    /** SHA-256 of every file in the bundle except the manifest. */
    files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    runs: z.array(BundleRunSchema).min(1),
    cell: BundleCellSchema.optional(),
    /** Why the cell failed; its runs are in the bundle all the same. */
    error: z.string().nullable().optional()
  })
  .strict()
export type Manifest = z.infer<typeof ManifestSchema>

export const sha256 = (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex')

/**
 * A path inside an archive that is safe to place under a directory: relative, forward slashes,
 * no `..` or `.` segments, no drive letters, no control characters. Returns the reason it is not.
 */
export function unsafeArchivePath(p: string): string | null {
  if (p.length === 0 || p.length > 1024) return 'it is empty or longer than 1024 characters'
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\\]/.test(p)) return 'it contains a backslash or a control character'
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'it is an absolute path'
  const segments = p.split('/')
  if (segments.some((s) => s === '..')) return 'it climbs out of its folder with ".."'
  if (segments.some((s, i) => s === '.' || (s === '' && i !== segments.length - 1))) return 'it has empty or "." segments'
  return null
}

/** Joins a checked relative path under a root and proves the result stays inside it. */
export function insideRoot(root: string, rel: string): string {
  const why = unsafeArchivePath(rel)
  if (why)
    throw new LabError('bad_input', `The bundle names the path "${rel}", which is refused because ${why}. Nothing was imported.`, 'path')
  const base = path.resolve(root)
  const full = path.resolve(base, rel)
  if (!full.startsWith(base + path.sep))
    throw new LabError('bad_input', `The bundle path "${rel}" would land outside the data directory. Nothing was imported.`, 'path')
  return full
}

/** One result of a run as bundled: its row of eval_results with the per-sample outcomes as columns. */
export const BundledEvalSchema = z.object({
  attack: z.string().min(1),
  norm: z.string().min(1),
  epsilon: z.number(),
  seed: z.number().int(),
  n: z.number().int().nonnegative(),
  accuracy: z.number(),
  cleanAccuracy: z.number().nullable(),
  params: z.record(z.string(), z.unknown()),
  seconds: z.number().nullable(),
  createdAt: z.string(),
  samples: z
    .object({
      indices: z.array(z.number().int()),
      labels: z.array(z.number().int()),
      cleanPredictions: z.array(z.number().int()),
      adversarialPredictions: z.array(z.number().int()),
      perturbationNorms: z.array(z.number().nullable())
    })
    .refine(
      (s) => [s.labels, s.cleanPredictions, s.adversarialPredictions, s.perturbationNorms].every((a) => a.length === s.indices.length),
      'sample columns differ in length'
    )
    .nullable()
})
export type BundledEval = z.infer<typeof BundledEvalSchema>
export const VerdictSchema = z.object({
  verdict: z.enum(['no', 'possible', 'yes']),
  fired: z.array(z.number().int()),
  checks: z.array(z.unknown()),
  createdAt: z.string()
})
export const ScoreSchema = z.object({
  metric: z.string().min(1),
  norm: z.string(),
  value: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string()
})

/** The most a bundle may unpack to; larger checkpoints than this do not exist in AdvLab. */
export const MAX_UNPACKED_BYTES = 4 * 2 ** 30
