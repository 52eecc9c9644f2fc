/**
 * The results table: the one object the Compare screen, `lab compare`, every export and the Runs
 * table's robust-accuracy column show. The lab service builds it (lab/store/results-table.ts);
 * screens and exports only render it, and the text of a cell is written here once.
 */
import { z } from 'zod'
import { RunIdSchema, RunStatusSchema } from './runs'

/**
 * What the user chooses about the table. ε per attack (attack id → the ε of its columns), or one
 * common ε for every attack; attacks not chosen show the ε most rows were attacked at. Results of
 * cancelled or failed evaluations stay out unless `includePartial` asks for them (marked partial).
 */
export const TableChoiceSchema = z
  .object({
    epsilon: z.number().min(0).max(1000).optional(),
    epsilons: z.record(z.string().min(1), z.array(z.number().min(0).max(1000)).min(1).max(50)).optional(),
    includePartial: z.boolean().default(false)
  })
  .strict()
export type TableChoice = z.input<typeof TableChoiceSchema>

export const ResultsTableRequestSchema = TableChoiceSchema.extend({ ids: z.array(RunIdSchema).min(1).max(10_000) }).strict()
export type ResultsTableRequest = z.input<typeof ResultsTableRequestSchema>

/** Why a cell is marked: the best of its column, measured on a model suspected of masking, or partial. */
export const CELL_MARKS = ['best', 'masking', 'partial'] as const
export type CellMark = (typeof CELL_MARKS)[number]

export const ResultCellSchema = z.object({
  mean: z.number(),
  /** Sample std over the repeats that have this cell; 0 when n = 1. */
  std: z.number(),
  /** The repeats (model runs) that actually have this cell. */
  n: z.number().int().positive(),
  /** Of how many repeats the row has: "1 of 2 runs" is said, never hidden. */
  of: z.number().int().positive(),
  runIds: z.array(z.number().int()),
  /** Clean accuracy only: from a clean evaluation, or the run's final test/accuracy metric. */
  source: z.enum(['evaluation', 'training']).optional(),
  /** The statuses of the unfinished evaluations a partial cell comes from. */
  partialStatuses: z.array(RunStatusSchema),
  marks: z.array(z.enum(CELL_MARKS))
})
export type ResultCell = z.infer<typeof ResultCellSchema>

export const ResultColumnSchema = z.object({
  key: z.string(),
  /** 'clean', or an attack id as stored with the results (fgsm, pgd, autoattack, …). */
  attack: z.string(),
  norm: z.string().nullable(),
  epsilon: z.number().nullable(),
  title: z.string()
})
export type ResultColumn = z.infer<typeof ResultColumnSchema>

export const ResultRowSchema = z.object({
  label: z.string(),
  configHash: z.string(),
  runIds: z.array(z.number().int()),
  cells: z.array(ResultCellSchema.nullable()),
  /** The most alarming masking verdict of the row's runs (no / possible / yes), null when none. */
  verdict: z.string().nullable()
})
export type ResultRow = z.infer<typeof ResultRowSchema>

/** One run's headline numbers, for the Runs table: the same rules, one run at a time. */
export const RunHeadlineSchema = z.object({
  runId: z.number().int(),
  clean: z.number().nullable(),
  /** The lowest accuracy under attack at the largest ε (L∞ first) of the run's complete evaluations. */
  robust: z.object({ accuracy: z.number(), attack: z.string(), norm: z.string(), epsilon: z.number(), label: z.string() }).nullable(),
  verdict: z.string().nullable()
})
export type RunHeadline = z.infer<typeof RunHeadlineSchema>

export const ResultsTableSchema = z.object({
  columns: z.array(ResultColumnSchema),
  rows: z.array(ResultRowSchema),
  /** Per attack × norm, every ε with results: what the user can choose from. */
  available: z.array(z.object({ attack: z.string(), norm: z.string(), epsilons: z.array(z.number()) })),
  includePartial: z.boolean(),
  /** Results left out (or, with includePartial, let in) because their evaluation did not complete. */
  partial: z.array(
    z.object({
      runId: z.number().int(),
      evalRunId: z.number().int(),
      status: RunStatusSchema,
      attack: z.string(),
      norm: z.string(),
      epsilon: z.number()
    })
  ),
  headlines: z.array(RunHeadlineSchema)
})
export type ResultsTable = z.infer<typeof ResultsTableSchema>
