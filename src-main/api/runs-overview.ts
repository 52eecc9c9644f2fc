/**
 * The Runs screen's list in one request (`runs.overview`): the models first — trained, distilled,
 * imported and wrapped runs — each with its headline numbers (the results table's, not recomputed)
 * and the attack, evaluation and sweep runs that measured it nested under it, plus the studies
 * the models belong to, so a study can be shown as a group. A measurement of several models is
 * nested under each of them; one whose models are all in the trash is listed apart.
 */
import { z } from 'zod'
import { RunHeadlineSchema } from './results-table'
import { RunProgressSchema, RunStatusSchema } from './runs'

export const MeasurementRunSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  status: RunStatusSchema,
  createdAt: z.string(),
  error: z.string().nullable(),
  progress: RunProgressSchema.nullable(),
  /** The model runs it measured (its config's targetRunIds). */
  targetRunIds: z.array(z.number().int())
})
export type MeasurementRun = z.infer<typeof MeasurementRunSchema>

export const OverviewModelSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  status: RunStatusSchema,
  seed: z.number().int(),
  configHash: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  progress: RunProgressSchema.nullable(),
  dataset: z.string().nullable(),
  arch: z.string().nullable(),
  defence: z.string(),
  tags: z.array(z.string()),
  starred: z.boolean(),
  /** The stored config as dot-path leaves ("optimizer.lr" → 0.1); arrays are leaves. */
  config: z.record(z.string(), z.unknown()),
  /** The last value of each logged metric of a finished run (none while it runs). */
  metrics: z.record(z.string(), z.number()),
  /** Clean accuracy, robust accuracy and masking verdict from the results table. */
  headline: RunHeadlineSchema,
  /** The studies this model belongs to (as the model measured or a teacher). */
  studyIds: z.array(z.number().int()),
  measurements: z.array(MeasurementRunSchema)
})
export type OverviewModel = z.infer<typeof OverviewModelSchema>

export const OverviewStudySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  preset: z.string(),
  status: z.string(),
  createdAt: z.string()
})
export type OverviewStudy = z.infer<typeof OverviewStudySchema>

export const RunsOverviewSchema = z.object({
  /** Newest first. */
  models: z.array(OverviewModelSchema),
  studies: z.array(OverviewStudySchema),
  /** Measurements none of whose models is listed (all trashed or archived). */
  unattached: z.array(MeasurementRunSchema)
})
export type RunsOverview = z.infer<typeof RunsOverviewSchema>

export const runsOverviewRequests = {
  'runs.overview': {
    params: z
      .object({
        projectId: z.number().int().positive().optional(),
        /** At most this many model runs (newest first). */
        limit: z.number().int().positive().max(10_000).default(500)
      })
      .strict(),
    result: RunsOverviewSchema
  }
} as const
