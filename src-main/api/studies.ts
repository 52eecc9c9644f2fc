/**
 * Studies: a named set of model runs and their evaluations, stored in the log and reported as one
 * comparison in the seed write-up's shape (model / strategy | clean | FGSM@ε | PGD | AutoAttack |
 * suspected masking). Presets reproduce the seed study (`seed-quick` on built-in MNIST on a laptop,
 * `seed-paper` with its exact CIFAR-10 / ResNet-18 settings on a GPU); custom studies are saved
 * from any comparison of existing runs.
 */
import { z } from 'zod'
import { RunStatusSchema } from './runs'
import { StatSchema } from './compare'
import { MaskingCheckSchema } from './evaluation'

export const STUDY_PRESETS = ['seed-quick', 'seed-paper'] as const
export const StudyPresetIdSchema = z.enum(STUDY_PRESETS)
export type StudyPresetId = z.infer<typeof StudyPresetIdSchema>

export const STUDY_STATUSES = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const
export const StudyStatusSchema = z.enum(STUDY_STATUSES)
export type StudyStatus = z.infer<typeof StudyStatusSchema>

/**
 * Smaller settings for a quick look or a test: fewer seeds, fewer images, fewer epochs. Whatever is
 * given replaces the preset's value and is recorded with the study (the report states it).
 */
export const StudyScaleSchema = z
  .object({
    seeds: z.number().int().min(1).max(10).optional(),
    trainImages: z.number().int().positive().optional(),
    testImages: z.number().int().positive().optional(),
    epochs: z.number().int().positive().max(10_000).optional(),
    /** Test images each evaluation attacks. */
    evalImages: z.number().int().positive().max(100_000).optional()
  })
  .strict()
export type StudyScale = z.infer<typeof StudyScaleSchema>

export const StudyStartSchema = z
  .object({
    preset: StudyPresetIdSchema,
    /** A registered dataset by name. seed-quick: default the built-in MNIST; seed-paper: required (CIFAR-10). */
    dataset: z.string().min(1).optional(),
    scale: StudyScaleSchema.default({}),
    /**
     * Jobs of the study that may run at once (default: the number of cores). Training uses one core
     * per job, so on a 2-core machine two jobs at once nearly halve the wall time. The queue's own
     * setting is restored when the study ends.
     */
    workers: z.number().int().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional()
  })
  .strict()
export type StudyStart = z.output<typeof StudyStartSchema>

/** One strategy of a study (a row of its table): how its model is made and named. */
export const StudyArmSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** baseline | distillation | distillation+pgd-at | gradient-truncation (wrapped) | custom */
  strategy: z.string(),
  description: z.string()
})
export type StudyArm = z.infer<typeof StudyArmSchema>

/** The resolved plan of a study: everything it will run, recorded with it. */
export const StudyPlanSchema = z.object({
  preset: z.string(),
  title: z.string(),
  dataset: z.string(),
  arch: z.string(),
  arms: z.array(StudyArmSchema),
  seeds: z.array(z.number().int()),
  /** The headline ε (FGSM, PGD, AutoAttack, masking checks) and the FGSM ε grid. */
  epsilon: z.number(),
  epsilons: z.array(z.number()),
  evalImages: z.number().int(),
  budget: z.string(),
  /** Human-readable statement of the attack budgets, quoted in the report. */
  budgetNote: z.string(),
  /** The configs each arm trains with (teacher, baseline, students), for the record. */
  training: z.record(z.string(), z.unknown()),
  scale: StudyScaleSchema
})
export type StudyPlan = z.infer<typeof StudyPlanSchema>

export const StudyEstimateSchema = z.object({
  backend: z.string(),
  /** Training seconds per job kind from train.estimate's measured probe. */
  parts: z.array(z.object({ what: z.string(), count: z.number().int(), secondsEach: z.number() })),
  trainSeconds: z.number(),
  /** Evaluation time, extrapolated from the attack budget (a rougher figure than training). */
  evalSeconds: z.number(),
  /** Work in seconds, summed over every job. */
  totalSeconds: z.number(),
  /** Jobs the study runs at once, and the wall time that gives (total / workers, roughly). */
  workers: z.number().int(),
  wallSeconds: z.number(),
  note: z.string()
})
export type StudyEstimate = z.infer<typeof StudyEstimateSchema>

export const StudyPresetSchema = z.object({
  id: StudyPresetIdSchema,
  title: z.string(),
  description: z.string(),
  /** Whether the user must give a dataset (seed-paper needs CIFAR-10). */
  needsDataset: z.boolean(),
  defaultDataset: z.string().nullable(),
  plan: StudyPlanSchema.nullable()
})

export const StudyRunRoleSchema = z.enum(['model', 'teacher', 'eval', 'sweep'])

export const StudyRunSchema = z.object({
  runId: z.number().int(),
  arm: z.string(),
  seed: z.number().int(),
  role: StudyRunRoleSchema,
  name: z.string(),
  status: RunStatusSchema,
  error: z.string().nullable()
})

export const StudySummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  preset: z.string(),
  status: StudyStatusSchema,
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Wall time from start to end (or until now while running). */
  seconds: z.number().nullable(),
  runs: z.object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int() })
})
export type StudySummary = z.infer<typeof StudySummarySchema>

export const StudySchema = StudySummarySchema.extend({ plan: StudyPlanSchema, members: z.array(StudyRunSchema) })
export type Study = z.infer<typeof StudySchema>

/** One row of the seed-shaped table: a strategy over its seeds. */
export const StudyRowSchema = z.object({
  arm: z.string(),
  label: z.string(),
  modelRunIds: z.array(z.number().int()),
  clean: StatSchema.nullable(),
  /** FGSM accuracy at each ε of plan.epsilons, in that order. */
  fgsm: z.array(StatSchema.nullable()),
  pgd: StatSchema.nullable(),
  autoattack: StatSchema.nullable(),
  /** The most alarming verdict over the seeds, and each seed's. */
  verdict: z.string().nullable(),
  verdicts: z.array(z.string()),
  /** Checks that fired in any seed, with how many seeds they fired in and one seed's evidence. */
  fired: z.array(z.object({ id: z.number().int(), name: z.string(), seeds: z.number().int(), strength: z.string(), summary: z.string() })),
  checks: z.array(MaskingCheckSchema),
  /** Why no conclusion can be drawn from this row (its model did not learn), or null. */
  notLearnt: z.string().nullable()
})
export type StudyRow = z.infer<typeof StudyRowSchema>

export const StudyCurveSchema = z.object({
  attack: z.string(),
  arm: z.string(),
  label: z.string(),
  points: z.array(z.object({ epsilon: z.number(), accuracy: StatSchema }))
})

/**
 * One cut of a reduced study as facts, for a screen to word in its own language; `cuts` holds the
 * same in English sentences (the Markdown and HTML reports, the CLI).
 */
export const StudyCutSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model'), arch: z.string(), dataset: z.string(), paperArch: z.string() }),
  z.object({ kind: z.literal('seeds'), seeds: z.number().int(), paperSeeds: z.number().int() }),
  z.object({ kind: z.literal('trainSubset'), images: z.number().int() }),
  z.object({ kind: z.literal('epochs'), epochs: z.number().int(), paperEpochs: z.number().int() }),
  z.object({ kind: z.literal('testSubset'), images: z.number().int() }),
  z.object({ kind: z.literal('evalImages'), images: z.number().int() }),
  z.object({ kind: z.literal('budget'), budget: z.string(), paperBudget: z.string() }),
  /** The user's own scale overrides: each key of StudyScale with its value and the preset's (null: the whole split). */
  z.object({
    kind: z.literal('scale'),
    overrides: z.array(z.object({ key: z.string(), value: z.number(), preset: z.number().nullable() }))
  })
])
export type StudyCut = z.infer<typeof StudyCutSchema>

export const StudyReportSchema = z.object({
  study: StudySummarySchema,
  plan: StudyPlanSchema,
  rows: z.array(StudyRowSchema),
  curves: z.array(StudyCurveSchema),
  /** The generated reading of the result, one paragraph per sentence. */
  reading: z.array(z.string()),
  /** What the study left out compared with the write-up's settings, stated beside its table. */
  cuts: z.array(z.string()),
  /** The same cuts as facts (StudyCutSchema), in the same order. */
  cutFacts: z.array(StudyCutSchema),
  /** Accuracy of guessing (1 / classes of the dataset); null when the dataset is gone. */
  chance: z.number().nullable(),
  /** Measured time per phase (training, evaluation …) in seconds, summed over runs. */
  timings: z.record(z.string(), z.number()),
  failures: z.array(z.object({ runId: z.number().int(), name: z.string(), error: z.string().nullable() }))
})
export type StudyReport = z.infer<typeof StudyReportSchema>

export const STUDY_REPORT_FORMATS = ['md', 'html', 'csv', 'latex'] as const
export const StudyReportFormatSchema = z.enum(STUDY_REPORT_FORMATS)
export type StudyReportFormat = z.infer<typeof StudyReportFormatSchema>

const StudyRef = z.object({ id: z.number().int().positive() }).strict()

export const studyRequests = {
  /** The built-in studies, with their plans on default settings (seed-paper's needs a dataset). */
  'studies.presets': { params: z.object({}).strict(), result: z.array(StudyPresetSchema) },
  /** The plan and the estimated time on the active backend — the review step before anything starts. */
  'studies.estimate': { params: StudyStartSchema, result: z.object({ plan: StudyPlanSchema, estimate: StudyEstimateSchema }) },
  /** Starts a preset study: trains, evaluates, and records everything as one study. */
  'studies.start': { params: StudyStartSchema, result: StudySummarySchema },
  'studies.list': { params: z.object({}).strict(), result: z.array(StudySummarySchema) },
  'studies.get': { params: StudyRef, result: StudySchema },
  /** Stops a running study: its queued and running runs are cancelled. */
  'studies.cancel': { params: StudyRef, result: StudySummarySchema },
  /**
   * The study report: structured always; as text in `format` when given, written to `path` when
   * given (md, html, csv, latex).
   */
  'studies.report': {
    params: z
      .object({ id: z.number().int().positive(), format: StudyReportFormatSchema.optional(), path: z.string().min(1).max(4096).optional() })
      .strict(),
    result: z.object({ report: StudyReportSchema, text: z.string().nullable(), path: z.string().nullable() })
  },
  /**
   * A custom study from existing model runs (a comparison): runs with the same config (repeats over
   * seeds) form one row, or `arms` names the rows explicitly.
   */
  'studies.save-from-runs': {
    params: z
      .object({
        name: z.string().trim().min(1).max(200),
        runIds: z.array(z.number().int().positive()).min(1).max(1000),
        arms: z
          .array(z.object({ label: z.string().trim().min(1).max(200), runIds: z.array(z.number().int().positive()).min(1) }).strict())
          .optional()
      })
      .strict(),
    result: StudySummarySchema
  }
} as const

export const studyEvents = {
  /** A study advanced: runs done of total, the runs in flight, its status. */
  'studies.progress': z.object({
    studyId: z.number().int(),
    status: StudyStatusSchema,
    done: z.number().int(),
    failed: z.number().int(),
    total: z.number().int(),
    /** Overall fraction done (running runs count by their own progress). */
    fraction: z.number().min(0).max(1),
    active: z.array(
      z.object({ runId: z.number().int(), label: z.string(), phase: z.string(), step: z.number().int(), total: z.number().int() })
    ),
    elapsedSeconds: z.number()
  })
} as const
