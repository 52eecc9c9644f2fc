/**
 * What some events of a run's log say, as data, so the screens write them in the user's language
 * with formatted numbers instead of showing the stored English line (or a JSON summary). The log
 * keeps its `message` beside the fact, for the CLI and the exports (a summary there stays JSON, which
 * scripts read).
 */
import { z } from 'zod'

/** The figures of a job's summary worth a line in the log; the results themselves live in the results table. */
export const SUMMARY_FIGURES = [
  'testAccuracy',
  'trainAccuracy',
  'cleanAccuracy',
  'accuracy',
  'teacherAccuracy',
  'steps',
  'workers',
  'seconds'
] as const
export type SummaryFigure = (typeof SUMMARY_FIGURES)[number]

/** Figures that are fractions of 1, shown as percentages. */
export const ACCURACY_FIGURES: readonly SummaryFigure[] = ['testAccuracy', 'trainAccuracy', 'cleanAccuracy', 'accuracy', 'teacherAccuracy']

export const StepOfSchema = z.object({ step: z.number().int().nonnegative(), total: z.number().int().nonnegative() })

export const RunEventFactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completed'), figures: z.partialRecord(z.enum(SUMMARY_FIGURES), z.number()) }),
  /** A training job stopped by the user, checkpointed at this step. */
  z.object({ kind: z.literal('cancelled'), at: StepOfSchema.nullable() }),
  /** A resumed job continues from the checkpoint at this step. */
  z.object({ kind: z.literal('resumed'), at: StepOfSchema })
])
export type RunEventFact = z.infer<typeof RunEventFactSchema>

/** The summary's figures that are finite numbers, in SUMMARY_FIGURES order. */
export function summaryFigures(summary: Record<string, unknown>): Partial<Record<SummaryFigure, number>> {
  const figures: Partial<Record<SummaryFigure, number>> = {}
  for (const key of SUMMARY_FIGURES) {
    const value = summary[key]
    if (typeof value === 'number' && Number.isFinite(value)) figures[key] = value
  }
  return figures
}
