/**
 * When a run logged its metric points (`runs.metricTimes`): for Compare's "x by time", the wall
 * clock seconds since each run's first point of the series, per step, as TensorBoard's relative
 * time axis. A resumed run shows the pause it had.
 */
import { z } from 'zod'
import { RunIdsSchema } from './runs'

export const StepTimesSchema = z.object({ runId: z.number().int(), steps: z.array(z.number()), seconds: z.array(z.number()) })
export type StepTimes = z.infer<typeof StepTimesSchema>

export const metricTimeRequests = {
  'runs.metricTimes': {
    params: z
      .object({
        ids: RunIdsSchema,
        /** The series whose points are timed (e.g. train/loss). */
        name: z.string().min(1),
        /** At most this many (step, seconds) pairs per run, evenly picked, the last always kept. */
        maxPoints: z.number().int().min(10).max(100_000).default(500)
      })
      .strict(),
    result: z.array(StepTimesSchema)
  }
} as const
