import { z } from 'zod'

/** Progress of one job, streamed to every client while it runs. */
export const JobProgressSchema = z.object({
  jobId: z.number().int(),
  runId: z.number().int().nullable(),
  phase: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  message: z.string().optional()
})
export type JobProgress = z.infer<typeof JobProgressSchema>

export const jobEvents = {
  'job.progress': JobProgressSchema
} as const
