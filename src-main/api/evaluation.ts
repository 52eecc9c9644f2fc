/**
 * Attacks on trained models, full robustness evaluations, sweeps — and what they leave in
 * the log: accuracy per model run × attack × norm × ε (mean ± std over seeds), per-sample outcomes,
 * CLEVER / Lipschitz scores and the gradient-masking verdict (no / possible / yes) with its evidence.
 */
import { z } from 'zod'
import { RunStatusSchema, RunSummarySchema } from './runs'
import { NormSchema } from './attacks/declaration'
import { PixelAmountSchema } from './epsilon'

export { NormSchema }

const RunRef = z.number().int().positive()

const SAMPLES = 'a whole number of test images from 1 to 100,000'
/**
 * How many test images to evaluate on. An emptied wizard field arrives as '' and is refused as
 * empty — never replaced by the default. More than the test split has is clamped by the service,
 * with a warning on the run.
 */
export const SampleCountSchema = z
  .number({ error: (issue) => (issue.input === '' ? `is empty: give ${SAMPLES}` : `must be ${SAMPLES}`) })
  .int({ error: `must be ${SAMPLES}` })
  .positive({ error: `must be ${SAMPLES}` })
  .max(100_000, { error: `must be ${SAMPLES}` })

/**
 * Attack-specific settings (steps, stepSize, restarts, loss, queries, version …). Which keys and
 * values an attack takes is its declaration's (api/attacks); the lab service checks them against it
 * when the request arrives (an unknown key is refused, naming the attack's settings).
 */
export const AttackSettingsSchema = z.record(z.string(), z.unknown()).default({})

/** One attack of a sweep (request or sweep file) with its settings. */
export const AttackChoiceSchema = z.object({ attack: z.string().min(1), settings: AttackSettingsSchema }).strict()

export const AttackRequestSchema = z
  .object({
    /** The model run to attack (a train, distill or wrapped run with final weights). */
    runId: RunRef,
    attack: z.string().min(1),
    norm: NormSchema.default('Linf'),
    epsilon: PixelAmountSchema,
    /** Test images (a stratified subset, the same for every model of a dataset). */
    n: SampleCountSchema.default(1000),
    settings: AttackSettingsSchema,
    /** Transfer attack: craft on this run's model, evaluate on runId's. */
    surrogateRunId: RunRef.optional(),
    /** Repeat over seeds seed, seed+1, …; results are reported as mean ± std. */
    repeats: z.number().int().min(1).max(20).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Worker threads the samples are sharded over (default: the job's share of the cores). */
    workers: z.number().int().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional()
  })
  .strict()
export type AttackRequest = z.output<typeof AttackRequestSchema>

export const BUDGETS = ['quick', 'standard', 'thorough'] as const
export const BudgetSchema = z.enum(BUDGETS)
export type Budget = z.infer<typeof BudgetSchema>

export const EvalRequestSchema = z
  .object({
    runId: RunRef,
    suite: z.enum(['full']).default('full'),
    /**
     * quick: a first look in a few minutes; standard (default): ≤ 10 minutes for a cnn-small on
     * 1,000 MNIST images, with AutoAttack's `fast` version on a subset (recorded as autoattack-fast);
     * thorough: AutoAttack standard on every sample — hours on a CPU.
     */
    budget: BudgetSchema.default('standard'),
    norm: NormSchema.default('Linf'),
    /**
     * The ε of the headline numbers (FGSM, PGD, AutoAttack). Default: the literature's — 8/255 (L∞)
     * or 0.5 (L2) for colour images, 0.3 (L∞) or 2 (L2) for grey 28×28 ones (MNIST, Madry et al. 2018).
     */
    epsilon: PixelAmountSchema.optional(),
    /** The ε-curve; default a grid up to 4× the headline ε. */
    epsilons: z.array(PixelAmountSchema).min(1).max(20).optional(),
    n: SampleCountSchema.optional(),
    /** Surrogate for the transfer check; default none. */
    surrogateRunId: RunRef.optional(),
    /**
     * The optional spatial suite (Engstrom et al. 2019): the worst of 10 random rotations and
     * translations on every image and the worst of the 775-motion grid on Square's subset — beyond
     * the ε-ball, so it is read beside the ε attacks, never as one of them.
     */
    spatial: z.boolean().default(false),
    repeats: z.number().int().min(1).max(20).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    workers: z.number().int().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional()
  })
  .strict()
export type EvalRequest = z.output<typeof EvalRequestSchema>

/**
 * The headline ε when none is given, the literature's for the kind of image: 8/255 (L∞) or 0.5 (L2)
 * for colour images (CIFAR), 0.3 (L∞) or 2 (L2) for grey ones (MNIST, Madry et al. 2018). Here, in
 * the contract, so the evaluation and the wizard's "default" placeholder read the same rule.
 */
export function defaultEpsilon(norm: z.infer<typeof NormSchema>, channels: number): number {
  const grey = channels === 1
  if (norm === 'Linf') return grey ? 0.3 : 8 / 255
  return grey ? 2 : 0.5
}

export const SweepRequestSchema = z
  .object({
    runIds: z.array(RunRef).min(1).max(100),
    attacks: z.array(AttackChoiceSchema).min(1).max(50),
    norm: NormSchema.default('Linf'),
    epsilons: z.array(PixelAmountSchema).min(1).max(50),
    n: SampleCountSchema.default(1000),
    repeats: z.number().int().min(1).max(20).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    workers: z.number().int().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional()
  })
  .strict()
export type SweepRequest = z.output<typeof SweepRequestSchema>

export const VERDICTS = ['no', 'possible', 'yes'] as const
export const VerdictSchema = z.enum(VERDICTS)
export type Verdict = z.infer<typeof VerdictSchema>

/** One of the eight gradient-masking checks (lab/eval/diagnostics/README.md), with its numbers. */
export const MaskingCheckSchema = z.object({
  id: z.number().int().min(1).max(8),
  name: z.string(),
  /** not run: the evaluation lacked what the check needs (e.g. no surrogate for the transfer part). */
  status: z.enum(['fired', 'passed', 'not-run']),
  /** strong: on its own enough for "yes"; weak: only raises "possible". */
  strength: z.enum(['strong', 'weak']),
  summary: z.string(),
  numbers: z.record(z.string(), z.number().nullable())
})
export type MaskingCheck = z.infer<typeof MaskingCheckSchema>

export const MaskingVerdictSchema = z.object({
  id: z.number().int(),
  /** The model run judged. */
  runId: z.number().int(),
  /** The evaluation run that produced the evidence. */
  evalRunId: z.number().int().nullable(),
  verdict: VerdictSchema,
  fired: z.array(z.number().int()),
  checks: z.array(MaskingCheckSchema),
  createdAt: z.string()
})
export type MaskingVerdict = z.infer<typeof MaskingVerdictSchema>

/** Accuracy of one model under one attack at one ε, over its seeds. */
export const EvaluationRowSchema = z.object({
  runId: z.number().int(),
  attack: z.string(),
  norm: z.string(),
  epsilon: z.number(),
  n: z.number().int(),
  /** Mean over seeds; clean rows have attack "clean" and ε 0. */
  accuracy: z.number(),
  /** Sample standard deviation over seeds (0 with one seed). */
  std: z.number(),
  seeds: z.number().int(),
  cleanAccuracy: z.number().nullable(),
  /** clean − adversarial, in accuracy units; and that drop relative to clean. */
  drop: z.number().nullable(),
  relativeDrop: z.number().nullable(),
  /** Row ids in eval_results (one per seed), for per-sample outcomes. */
  resultIds: z.array(z.number().int()),
  evalRunId: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  /** Present when the only evaluation of this cell did not complete (cancelled, failed, …): a partial result. */
  partialStatus: RunStatusSchema.optional()
})
export type EvaluationRow = z.infer<typeof EvaluationRowSchema>

export const ScoreSchema = z.object({
  runId: z.number().int(),
  evalRunId: z.number().int().nullable(),
  /** clever, lipschitz-global, lipschitz-local. */
  metric: z.string(),
  norm: z.string(),
  value: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string()
})
export type Score = z.infer<typeof ScoreSchema>

export const SampleOutcomeSchema = z.object({
  sampleIndex: z.number().int(),
  label: z.number().int(),
  cleanPrediction: z.number().int(),
  adversarialPrediction: z.number().int(),
  cleanCorrect: z.boolean(),
  adversarialCorrect: z.boolean(),
  /** The attack's achieved perturbation norm (its minimal one for FAB/C&W); null if none. */
  perturbationNorm: z.number().nullable()
})

export const evaluationRequests = {
  'attack.start': { params: AttackRequestSchema, result: RunSummarySchema },
  'eval.start': { params: EvalRequestSchema, result: RunSummarySchema },
  'sweep.start': { params: SweepRequestSchema, result: RunSummarySchema },
  'evaluations.list': {
    params: z.object({ runId: RunRef }).strict(),
    result: z.object({ rows: z.array(EvaluationRowSchema), verdict: MaskingVerdictSchema.nullable(), scores: z.array(ScoreSchema) })
  },
  'evaluations.samples': {
    params: z.object({ resultId: z.number().int().positive() }).strict(),
    result: z.array(SampleOutcomeSchema)
  },
  /** Mean ± std over repeated model runs (same config, other seeds), per attack × norm × ε. */
  'evaluations.repeats': {
    params: z.union([z.object({ runIds: z.array(RunRef).min(1) }).strict(), z.object({ configHash: z.string().min(1) }).strict()]),
    result: z.array(
      z.object({
        attack: z.string(),
        norm: z.string(),
        epsilon: z.number(),
        runIds: z.array(z.number().int()),
        accuracies: z.array(z.number()),
        mean: z.number(),
        std: z.number()
      })
    )
  },
  'evaluations.verdicts': {
    /** The latest verdict of each of these model runs (all runs with one when omitted). */
    params: z.object({ runIds: z.array(RunRef).optional() }).strict(),
    result: z.array(MaskingVerdictSchema)
  }
} as const

export const evaluationEvents = {
  /** A new accuracy under attack was written for a model run. */
  'evaluation.result': z.object({
    runId: z.number().int(),
    evalRunId: z.number().int(),
    attack: z.string(),
    norm: z.string(),
    epsilon: z.number(),
    seed: z.number().int(),
    n: z.number().int(),
    accuracy: z.number()
  }),
  /** A gradient-masking verdict was written for a model run. */
  'evaluation.verdict': z.object({
    runId: z.number().int(),
    evalRunId: z.number().int(),
    verdict: VerdictSchema,
    fired: z.array(z.number().int())
  })
} as const
