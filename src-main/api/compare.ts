/**
 * Comparing runs side by side: choosing them (`runs.select`, a filter over the log) and the
 * comparison itself (`runs.compare`: config differences, final metrics, series, evaluations,
 * masking verdicts and per-sample agreement).
 */
import { z } from 'zod'
import { MetricSeriesSchema, RunIdSchema, RunIdsSchema, RunStatusSchema } from './runs'

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
    ids: RunIdsSchema,
    /** Series to return (all when omitted; none when an empty list). */
    metrics: z.array(z.string()).optional(),
    /** Downsample each series to at most this many points (min/max-preserving). */
    maxPoints: z.number().int().min(10).max(100_000).default(300),
    /** Include per-sample agreement (can be large). */
    agreement: z.boolean().default(true)
  })
  .strict()
export type CompareOptions = z.input<typeof CompareOptionsSchema>

export const compareRequests = {
  'runs.select': { params: RunFilterSchema, result: z.array(ComparedRunSchema) },
  'runs.compare': { params: CompareOptionsSchema, result: ComparisonSchema }
} as const
