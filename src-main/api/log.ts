/**
 * The experiment log as a whole: the results table, the trash, exports (bundles, tables, reports,
 * MLflow, TensorBoard), importing bundles, and backing the log up. Comparing runs is in compare.ts,
 * organising them (tags, notes, stars, names, archive, delete) in runs.ts.
 */
import { z } from 'zod'
import { RunIdsSchema as RunIds } from './runs'
import { ResultsTableRequestSchema, ResultsTableSchema, TableChoiceSchema } from './results-table'

export const TABLE_FORMATS = ['csv', 'md', 'latex'] as const
export const TableFormatSchema = z.enum(TABLE_FORMATS)
export type TableFormat = z.infer<typeof TableFormatSchema>

/** The results table in a text format; its columns and partial results as the user chose (see TableChoice). */
const TableOptions = TableChoiceSchema.extend({ ids: RunIds, format: TableFormatSchema }).strict()

const OutPath = z.string().min(1).max(4096)

export const TrashEntrySchema = z.object({ id: z.number().int(), name: z.string(), deletedAt: z.string(), artifactBytes: z.number() })

/**
 * Which cell of which sweep a bundle holds (lab sweep cell): merging a re-run of a cell replaces
 * the earlier result of that cell instead of adding it as a repeat. The config hash is the cell's
 * experiment, so a cell whose grid changed between two runs of the sweep is not taken for a re-run.
 */
export const BundleCellSchema = z
  .object({ sweepId: z.string().min(1).max(200), index: z.number().int().nonnegative(), configHash: z.string().min(1).max(64) })
  .strict()
export type BundleCell = z.infer<typeof BundleCellSchema>

const ImportedRun = z.object({ id: z.number().int(), name: z.string(), uid: z.string() })
export const ImportResultSchema = z.object({
  imported: z.array(ImportedRun),
  /** Runs already in the log (same uid): left untouched, so importing twice never duplicates. */
  skipped: z.array(ImportedRun),
  /** Runs of an earlier result of the same sweep cell, moved to the trash by this newer one. */
  replaced: z.array(ImportedRun),
  /** The bundle's runs not imported because the log holds a newer result of the same sweep cell. */
  superseded: z.array(z.object({ name: z.string(), uid: z.string() }))
})

const Ok = z.object({ ok: z.literal(true) })
const Written = z.object({ path: z.string(), bytes: z.number().int() })

export const logRequests = {
  /** The results table (one row per group of repeats) that every screen and export shows. */
  'results.table': { params: ResultsTableRequestSchema, result: ResultsTableSchema },
  'trash.list': { params: z.object({}).strict(), result: z.array(TrashEntrySchema) },
  'trash.restore': { params: z.object({ ids: RunIds }).strict(), result: Ok },
  'trash.empty': {
    params: z.object({ ids: RunIds.optional() }).strict(),
    result: z.object({ ids: z.array(z.number().int()), freedBytes: z.number() })
  },
  /** Writes a `.advlab.zip` bundle of the runs (config, metrics CSV, results, events, artifacts). */
  'export.bundle': {
    params: z
      .object({
        ids: RunIds,
        path: OutPath,
        /** The sweep cell the runs are the result of (lab sweep cell). */
        cell: BundleCellSchema.optional(),
        /** Why the cell failed, when it did: its bundle still carries what it made. */
        error: z.string().min(1).max(20_000).optional()
      })
      .strict(),
    result: Written.extend({ runs: z.number().int() })
  },
  /** Imports a bundle (zip or unpacked directory): validated whole, idempotent. */
  'import.bundle': { params: z.object({ path: OutPath }).strict(), result: ImportResultSchema },
  /** The seed-shaped results table; written to `path` when given, returned as text always. */
  'export.table': {
    params: TableOptions.extend({ path: OutPath.optional() }).strict(),
    result: z.object({ text: z.string(), path: z.string().nullable() })
  },
  /** A self-contained HTML report (inline SVG charts); `pdf: true` also prints it with Chromium. */
  'export.report': {
    params: TableChoiceSchema.extend({
      ids: RunIds,
      path: OutPath,
      title: z.string().max(200).optional(),
      pdf: z.boolean().default(false)
    }).strict(),
    result: Written.extend({ pdfPath: z.string().nullable(), pdfNote: z.string().nullable() })
  },
  /** An MLflow file store (`mlruns/` layout) in the directory `path`. */
  'export.mlflow': {
    params: z.object({ ids: RunIds, path: OutPath, experiment: z.string().min(1).max(200).default('AdvLab') }).strict(),
    result: z.object({ path: z.string(), experimentId: z.string(), runs: z.number().int() })
  },
  /** TensorBoard event files (scalars), one sub-directory per run, in the directory `path`. */
  'export.tensorboard': {
    params: z.object({ ids: RunIds, path: OutPath }).strict(),
    result: z.object({ path: z.string(), files: z.array(z.string()) })
  },
  /** A consistent copy of the whole log (SQLite online backup), taken while AdvLab runs. */
  'log.backup': { params: z.object({ path: OutPath }).strict(), result: Written },
  /**
   * Replaces the log with a backup. The current log is first saved beside it; refused while runs
   * are queued or running.
   */
  'log.restore': {
    params: z.object({ path: OutPath }).strict(),
    result: z.object({ restoredFrom: z.string(), previousSavedAt: z.string() })
  }
} as const

export const logEvents = {
  /** Runs were tagged, renamed, starred, archived, trashed, restored, imported or removed. */
  'log.changed': z.object({ ids: z.array(z.number().int()), what: z.string() })
} as const
