/**
 * What each kind of run stores as its config — the value its job receives — declared once, as a
 * union keyed by run kind. Handlers build these from their requests; the job spec carries them
 * typed by kind (lab/jobs/messages.ts); a config read back from the log (resume, a teacher, a model
 * to evaluate) is checked against its kind's schema here, so no handler or job casts a config.
 */
import { z } from 'zod'
import { LabError } from './errors'
import { RunIdSchema, type ModelRunKind, type RunKind } from './runs'
import { DistillConfigSchema, TrainConfigSchema } from './train'
import { AttackRequestSchema, EvalRequestSchema, SweepRequestSchema } from './evaluation'
import { DefenceSchema, type Defence } from './defences'
import { weightRequests } from './weights'
import { CorruptionRequestSchema } from './corruptions'

/** The model runs an attack, evaluation or sweep measures; its results are written against them. */
const targets = { targetRunIds: z.array(RunIdSchema).min(1) }

const schemas = {
  train: TrainConfigSchema,
  distill: DistillConfigSchema,
  /** weights.import's params, with `file` made absolute and `arch` filled in when the file states it. */
  import: weightRequests['weights.import'].params,
  /** A model behind a test-time defence layer: no job, it shares its source's weights. */
  wrapped: z.object({ sourceRunId: RunIdSchema, defence: DefenceSchema, source: z.unknown() }).strict(),
  attack: AttackRequestSchema.extend(targets),
  eval: EvalRequestSchema.extend(targets),
  sweep: SweepRequestSchema.extend(targets),
  /** The measured run first, then the mCE baseline when there is one. */
  corruptions: CorruptionRequestSchema.extend(targets)
} as const satisfies Record<RunKind, z.ZodType>

/** The config a run of kind K stores and its job receives. */
export type RunConfigs = { [K in RunKind]: z.output<(typeof schemas)[K]> }

/** The schema of each kind's config (typed per kind, so a generic kind finds its own schema). */
export const RUN_CONFIG_SCHEMAS: { [K in RunKind]: z.ZodType<RunConfigs[K]> } = schemas
export type TrainRunConfig = RunConfigs['train']
export type DistillRunConfig = RunConfigs['distill']
export type ImportRunConfig = RunConfigs['import']
export type WrappedRunConfig = RunConfigs['wrapped']
export type AttackRunConfig = RunConfigs['attack']
export type EvalRunConfig = RunConfigs['eval']
export type SweepRunConfig = RunConfigs['sweep']
export type CorruptionsRunConfig = RunConfigs['corruptions']

/** A run's kind with its config: the union keyed by kind. */
export type RunConfig = { [K in RunKind]: { kind: K; config: RunConfigs[K] } }[RunKind]

/**
 * The run kinds made by a job in a worker thread. A wrapped run is complete when it is created
 * (its layer is rebuilt from its config wherever it is evaluated), so it has no job.
 */
export const JOB_RUN_KINDS = ['train', 'distill', 'import', 'attack', 'eval', 'sweep', 'corruptions'] as const satisfies readonly RunKind[]
export type JobRunKind = (typeof JOB_RUN_KINDS)[number]
export const isJobRunKind = (kind: string): kind is JobRunKind => (JOB_RUN_KINDS as readonly string[]).includes(kind)

/** What a job is started with: its kind and the config of that kind. */
export type JobOrderOf<K extends JobRunKind> = { kind: K; config: RunConfigs[K] }
export type JobOrder = { [K in JobRunKind]: JobOrderOf<K> }[JobRunKind]

/**
 * Checks a config (typically read back from the log) against its kind's schema. The stored value
 * itself is returned, not the parse's output, so a default added to a schema after the run was
 * stored is not filled in behind the job's back (distillLossOf reads a missing `loss` as the loss
 * that run used).
 */
export function readRunConfig<K extends RunKind>(kind: K, config: unknown): RunConfigs[K] {
  const parsed = RUN_CONFIG_SCHEMAS[kind].safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue.path.length ? ` (${issue.path.join('.')})` : ''
    throw new LabError('bad_input', `The stored config of this ${kind} run does not fit a ${kind} config${where}: ${issue.message}.`)
  }
  return config as RunConfigs[K]
}

/** A job order from an untyped kind and config (a run read back from the log), checked. */
export function readJobOrder(kind: string, config: unknown): JobOrder {
  switch (kind) {
    case 'train':
    case 'distill':
    case 'import':
    case 'attack':
    case 'eval':
    case 'sweep':
    case 'corruptions':
      return orderOf(kind, config)
    default:
      throw new LabError('bad_input', `A ${kind} run has no job to start (AdvLab runs jobs of kinds ${JOB_RUN_KINDS.join(', ')}).`)
  }
}

function orderOf(kind: JobRunKind, config: unknown): JobOrder {
  switch (kind) {
    case 'train':
      return { kind, config: readRunConfig(kind, config) }
    case 'distill':
      return { kind, config: readRunConfig(kind, config) }
    case 'import':
      return { kind, config: readRunConfig(kind, config) }
    case 'attack':
      return { kind, config: readRunConfig(kind, config) }
    case 'eval':
      return { kind, config: readRunConfig(kind, config) }
    case 'sweep':
      return { kind, config: readRunConfig(kind, config) }
    case 'corruptions':
      return { kind, config: readRunConfig(kind, config) }
  }
}

/**
 * The defence layer a model run puts in front of its model (null for none): a train run's own,
 * a distillation's student's, a wrapped run's; an imported model has none.
 */
export function defenceOfModelRun(kind: ModelRunKind, config: unknown): Defence | null {
  switch (kind) {
    case 'train':
      return readRunConfig(kind, config).defence ?? null
    case 'distill':
      return readRunConfig(kind, config).student.defence ?? null
    case 'wrapped':
      return readRunConfig(kind, config).defence
    case 'import':
      readRunConfig(kind, config)
      return null
  }
}
