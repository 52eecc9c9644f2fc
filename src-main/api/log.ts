/**
 * The experiment log as a whole: comparing runs side by side, organising them (tags, notes,
 * stars, names, archive, trash), exporting them (bundles, tables, reports, MLflow, TensorBoard),
 * importing bundles, and backing the log up.
 */
import { z } from 'zod'
import { MetricSeriesSchema, RunIdSchema, RunStatusSchema } from './runs'
import { ResultsTableRequestSchema, ResultsTableSchema, TableChoiceSchema } from './results-table'

const RunIds = z.array(RunIdSchema).min(1).max(10_000)

export const RunFilterSchema = z
  .object({
    ids: z.array(RunIdSchema).max(10_000).optional(),
    projectId: z.number().int().positive().optional(),
    tag: z.string().min(1).optional(),
    status: RunStatusSchema.optional(),
    /** Dataset name as in the run's config. */
    dataset: z.string().min(1).optional(),
    arch: z.string().min(1).optional(),
    /** Defence kind: none, distillation, pgd-at, fgsm-at, gradient-truncation, … */
    defence: z.string().min(1).optional(),
    starred: z.boolean().optional(),
    /** ISO dates (or date-times); runs created within [from, to]. */
    from: z.string().min(4).optional(),
    to: z.string().min(4).optional(),
    includeArchived: z.boolean().default(false),
    kind: z.string().optional(),
    limit: z.number().int().positive().max(10_000).default(1000)
  })
  .strict()
export type RunFilter = z.input<typeof RunFilterSchema>

export const StatSchema = z.object({ mean: z.number(), std: z.number(), n: z.number().int() })
export type Stat = z.infer<typeof StatSchema>

export const ComparedRunSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  status: RunStatusSchema,
  seed: z.number().int(),
  configHash: z.string(),
  createdAt: z.string(),
  dataset: z.string().nullable(),
  arch: z.string().nullable(),
  defence: z.string(),
  tags: z.array(z.string()),
  note: z.string(),
  starred: z.boolean(),
  archived: z.boolean()
})
export type ComparedRun = z.infer<typeof ComparedRunSchema>

export const ConfigRowSchema = z.object({
  /** Dot path into the config, e.g. "optimizer.lr". */
  key: z.string(),
  /** One value per compared run, in the order of `runs` (null where the run lacks the key). */
  values: z.array(z.unknown()),
  differs: z.boolean()
})

export const EvalCellSchema = z.object({
  attack: z.string(),
  norm: z.string(),
  epsilon: z.number(),
  /**
   * Per run, in the order of `runs`: the mean over the seeds of its latest evaluation of this cell
   * that did not end cancelled or failed (store/run-results.ts), or null.
   */
  accuracy: z.array(z.number().nullable()),
  /** Per run: the test images that evaluation used. */
  n: z.array(z.number().int().nullable())
})

export const ComparisonSchema = z.object({
  runs: z.array(ComparedRunSchema),
  config: z.array(ConfigRowSchema),
  /** Final (last-step) value of each metric, per run in the order of `runs`. */
  finalMetrics: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
  series: z.array(z.object({ runId: z.number().int(), series: z.array(MetricSeriesSchema) })),
  evaluations: z.array(EvalCellSchema),
  verdicts: z.object({
    available: z.boolean(),
    reason: z.string().optional(),
    /** Per run: the latest masking verdict (no / possible / yes) and the checks that fired. */
    perRun: z.array(z.object({ runId: z.number().int(), verdict: z.string().nullable(), fired: z.array(z.number().int()) }))
  }),
  agreement: z.object({
    available: z.boolean(),
    reason: z.string().optional(),
    /** Per attack × ε: which sample indices each run gets right, and how many all / none get right. */
    cells: z.array(
      z.object({
        attack: z.string(),
        norm: z.string(),
        epsilon: z.number(),
        samples: z.array(z.number().int()),
        correct: z.array(z.array(z.boolean()).nullable()),
        allCorrect: z.number().int(),
        noneCorrect: z.number().int()
      })
    )
  })
})
export type Comparison = z.infer<typeof ComparisonSchema>

export const CompareOptionsSchema = z
  .object({
    ids: RunIds,
    /** Series to return (all when omitted; none when an empty list). */
    metrics: z.array(z.string()).optional(),
    /** Downsample each series to at most this many points (min/max-preserving). */
    maxPoints: z.number().int().min(10).max(100_000).default(300),
    /** Include per-sample agreement (can be large). */
    agreement: z.boolean().default(true)
  })
  .strict()
export type CompareOptions = z.input<typeof CompareOptionsSchema>

export const TABLE_FORMATS = ['csv', 'md', 'latex'] as const
export const TableFormatSchema = z.enum(TABLE_FORMATS)
export type TableFormat = z.infer<typeof TableFormatSchema>

/** The results table in a text format; its columns and partial results as the user chose (see TableChoice). */
const TableOptions = TableChoiceSchema.extend({ ids: RunIds, format: TableFormatSchema }).strict()

const OutPath = z.string().min(1).max(4096)

export const TrashEntrySchema = z.object({ id: z.number().int(), name: z.string(), deletedAt: z.string(), artifactBytes: z.number() })

export const ImportResultSchema = z.object({
  imported: z.array(z.object({ id: z.number().int(), name: z.string(), uid: z.string() })),
  /** Runs already in the log (same uid): left untouched, so importing twice never duplicates. */
  skipped: z.array(z.object({ id: z.number().int(), name: z.string(), uid: z.string() }))
})

const Ok = z.object({ ok: z.literal(true) })
const Written = z.object({ path: z.string(), bytes: z.number().int() })

export const logRequests = {
  'runs.select': { params: RunFilterSchema, result: z.array(ComparedRunSchema) },
  'runs.compare': { params: CompareOptionsSchema, result: ComparisonSchema },
  /** The results table (one row per group of repeats) that every screen and export shows. */
  'results.table': { params: ResultsTableRequestSchema, result: ResultsTableSchema },
  'runs.tag': { params: z.object({ ids: RunIds, tags: z.array(z.string()).min(1) }).strict(), result: Ok },
  'runs.untag': { params: z.object({ ids: RunIds, tags: z.array(z.string()).min(1) }).strict(), result: Ok },
  'runs.note': { params: z.object({ id: RunIdSchema, note: z.string().max(100_000) }).strict(), result: Ok },
  'runs.star': { params: z.object({ id: RunIdSchema, starred: z.boolean() }).strict(), result: Ok },
  'runs.rename': { params: z.object({ id: RunIdSchema, name: z.string().min(1).max(200) }).strict(), result: Ok },
  'runs.archive': { params: z.object({ ids: RunIds, archived: z.boolean().default(true) }).strict(), result: Ok },
  /** Moves runs to the trash; their rows and files go only when the trash is emptied. */
  'runs.delete': { params: z.object({ ids: RunIds }).strict(), result: Ok },
  'trash.list': { params: z.object({}).strict(), result: z.array(TrashEntrySchema) },
  'trash.restore': { params: z.object({ ids: RunIds }).strict(), result: Ok },
  'trash.empty': {
    params: z.object({ ids: RunIds.optional() }).strict(),
    result: z.object({ ids: z.array(z.number().int()), freedBytes: z.number() })
  },
  /** Writes a `.advlab.zip` bundle of the runs (config, metrics CSV, results, events, artifacts). */
  'export.bundle': { params: z.object({ ids: RunIds, path: OutPath }).strict(), result: Written.extend({ runs: z.number().int() }) },
  /** Imports a bundle (zip or unpacked directory): validated whole, idempotent. */
  'import.bundle': { params: z.object({ path: OutPath }).strict(), result: ImportResultSchema },
  /** The seed-shaped results table; written to `path` when given, returned as text always. */
  'export.table': { params: TableOptions.extend({ path: OutPath.optional() }).strict(), result: z.object({ text: z.string(), path: z.string().nullable() }) },
  /** A self-contained HTML report (inline SVG charts); `pdf: true` also prints it with Chromium. */
  'export.report': {
    params: TableChoiceSchema.extend({ ids: RunIds, path: OutPath, title: z.string().max(200).optional(), pdf: z.boolean().default(false) }).strict(),
    result: Written.extend({ pdfPath: z.string().nullable(), pdfNote: z.string().nullable() })
  },
  /** An MLflow file store (`mlruns/` layout) in the directory `path`. */
  'export.mlflow': {
    params: z.object({ ids: RunIds, path: OutPath, experiment: z.string().min(1).max(200).default('AdvLab') }).strict(),
    result: z.object({ path: z.string(), experimentId: z.string(), runs: z.number().int() })
  },
  /** TensorBoard event files (scalars), one sub-directory per run, in the directory `path`. */
  'export.tensorboard': { params: z.object({ ids: RunIds, path: OutPath }).strict(), result: z.object({ path: z.string(), files: z.array(z.string()) }) },
  /** A consistent copy of the whole log (SQLite online backup), taken while AdvLab runs. */
  'log.backup': { params: z.object({ path: OutPath }).strict(), result: Written },
  /**
   * Replaces the log with a backup. The current log is first saved beside it; refused while runs
   * are queued or running.
   */
  'log.restore': { params: z.object({ path: OutPath }).strict(), result: z.object({ restoredFrom: z.string(), previousSavedAt: z.string() }) }
} as const

export const logEvents = {
  /** Runs were tagged, renamed, starred, archived, trashed, restored, imported or removed. */
  'log.changed': z.object({ ids: z.array(z.number().int()), what: z.string() })
} as const
