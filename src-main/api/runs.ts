import { z } from 'zod'
import { RunEventFactSchema } from './run-events'

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const
export const RunStatusSchema = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof RunStatusSchema>

/** Statuses after which a run never changes again (until the user resumes it). */
export const FINAL_RUN_STATUSES = ['completed', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly RunStatus[]
export const isFinalStatus = (status: RunStatus): boolean => (FINAL_RUN_STATUSES as readonly RunStatus[]).includes(status)

/**
 * Every kind of run the log holds. Model runs end with final weights that can be attacked,
 * evaluated, swept, distilled from and compared: trained, distilled, imported (a PyTorch
 * state_dict) and wrapped (a model behind a test-time defence). The others measure models.
 */
export const MODEL_RUN_KINDS = ['train', 'distill', 'import', 'wrapped'] as const
export const MEASUREMENT_RUN_KINDS = ['attack', 'eval', 'sweep', 'corruptions'] as const
export const RUN_KINDS = [...MODEL_RUN_KINDS, ...MEASUREMENT_RUN_KINDS] as const
export const RunKindSchema = z.enum(RUN_KINDS)
export type RunKind = z.infer<typeof RunKindSchema>
export type ModelRunKind = (typeof MODEL_RUN_KINDS)[number]
export const isModelRunKind = (kind: string): kind is ModelRunKind => (MODEL_RUN_KINDS as readonly string[]).includes(kind)

export const RunIdSchema = z.number().int().positive()
/** Runs a request acts on together (tag, archive, delete, export, …). */
export const RunIdsSchema = z.array(RunIdSchema).min(1).max(10_000)

const Ok = z.object({ ok: z.literal(true) })

export const RunProgressSchema = z.object({
  phase: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable()
})

export const RunSummarySchema = z.object({
  id: z.number().int(),
  projectId: z.number().int().nullable(),
  datasetId: z.number().int().nullable(),
  name: z.string(),
  kind: z.string(),
  status: RunStatusSchema,
  seed: z.number().int(),
  backend: z.string().nullable(),
  configHash: z.string(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Live progress while queued or running; null otherwise. */
  progress: RunProgressSchema.nullable()
})
export type RunSummary = z.infer<typeof RunSummarySchema>

export const RunSchema = RunSummarySchema.extend({ config: z.unknown() })
export type Run = z.infer<typeof RunSchema>

export const MetricSeriesSchema = z.object({
  name: z.string(),
  steps: z.array(z.number()),
  values: z.array(z.number())
})
export type MetricSeries = z.infer<typeof MetricSeriesSchema>

export const RunEventSchema = z.object({
  id: z.number().int(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  time: z.number(),
  /** What the line states, as data, when the screens write it themselves (completed, cancelled, resumed). */
  fact: RunEventFactSchema.optional()
})
export type RunEvent = z.infer<typeof RunEventSchema>

export const runRequests = {
  'runs.list': {
    params: z
      .object({
        projectId: z.number().int().positive().optional(),
        status: RunStatusSchema.optional(),
        kind: z.string().optional(),
        limit: z.number().int().positive().max(10_000).default(500)
      })
      .strict(),
    result: z.array(RunSummarySchema)
  },
  'runs.get': { params: z.object({ id: RunIdSchema }).strict(), result: RunSchema },
  'runs.cancel': { params: z.object({ id: RunIdSchema }).strict(), result: RunSummarySchema },
  'runs.resume': { params: z.object({ id: RunIdSchema }).strict(), result: RunSummarySchema },
  'runs.metrics': {
    params: z
      .object({
        id: RunIdSchema,
        names: z.array(z.string()).optional(),
        /** Downsample each series to at most this many points (min/max-preserving buckets). */
        maxPoints: z.number().int().min(10).max(1_000_000).optional()
      })
      .strict(),
    result: z.array(MetricSeriesSchema)
  },
  'runs.events': {
    params: z.object({ id: RunIdSchema, afterId: z.number().int().nonnegative().default(0) }).strict(),
    result: z.array(RunEventSchema)
  },
  'runs.tag': { params: z.object({ ids: RunIdsSchema, tags: z.array(z.string()).min(1) }).strict(), result: Ok },
  'runs.untag': { params: z.object({ ids: RunIdsSchema, tags: z.array(z.string()).min(1) }).strict(), result: Ok },
  'runs.note': { params: z.object({ id: RunIdSchema, note: z.string().max(100_000) }).strict(), result: Ok },
  'runs.star': { params: z.object({ id: RunIdSchema, starred: z.boolean() }).strict(), result: Ok },
  'runs.rename': { params: z.object({ id: RunIdSchema, name: z.string().min(1).max(200) }).strict(), result: Ok },
  'runs.archive': { params: z.object({ ids: RunIdsSchema, archived: z.boolean().default(true) }).strict(), result: Ok },
  /** Moves runs to the trash; their rows and files go only when the trash is emptied. */
  'runs.delete': { params: z.object({ ids: RunIdsSchema }).strict(), result: Ok }
} as const

export const runEvents = {
  /** A run's status or summary changed. */
  'runs.changed': z.object({ id: z.number().int(), status: RunStatusSchema }),
  /** New metric points of a running run, as they are logged. */
  'runs.metrics': z.object({
    runId: z.number().int(),
    points: z.array(z.object({ name: z.string(), step: z.number(), value: z.number() }))
  })
} as const
