/**
 * Common-corruption evaluations (Hendrycks & Dietterich, ICLR 2019; Mu & Gilmer's MNIST-C): a run of
 * its own (kind 'corruptions') that measures a model on corrupted copies of its test images,
 * generated on the fly from a seed, for each corruption × severity. Results are filed in the log
 * like an attack's (api/corruption-names.ts says how), so the one results table, exports and the
 * heat maps read them from there; the mean corruption error (mCE) against a baseline model is a
 * score of the measured run.
 */
import { z } from 'zod'
import { RunIdSchema, RunSummarySchema } from './runs'
import { SampleCountSchema } from './evaluation'
import { CORRUPTION_IDS, SEVERITIES } from './corruption-names'

const ids = CORRUPTION_IDS as unknown as [string, ...string[]]

export const CorruptionRequestSchema = z
  .object({
    /** The model run to measure. */
    runId: RunIdSchema,
    /** Which corruptions (default: all). */
    corruptions: z
      .array(z.enum(ids, { error: `must be one of ${CORRUPTION_IDS.join(', ')}` }))
      .min(1)
      .max(CORRUPTION_IDS.length)
      .optional(),
    severities: z
      .array(z.number().int().min(1, { error: 'must be 1 to 5' }).max(5, { error: 'must be 1 to 5' }))
      .min(1)
      .max(5)
      .default([...SEVERITIES]),
    /** Test images (the same stratified subset every evaluation of this size uses). */
    n: SampleCountSchema.default(1000),
    /**
     * The model the mean corruption error is relative to (Hendrycks & Dietterich use AlexNet). It is
     * measured in the same run on the same corrupted images, and its results are filed against it too.
     */
    baselineRunId: RunIdSchema.optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional()
  })
  .strict()
export type CorruptionRequest = z.output<typeof CorruptionRequestSchema>

/** The mCE score a corruption evaluation stores with the measured run (evaluations.list's scores). */
export const MCE_METRIC = 'mce'

export const corruptionRequests = {
  'corruptions.start': { params: CorruptionRequestSchema, result: RunSummarySchema }
} as const
