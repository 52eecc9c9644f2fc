import { z } from 'zod'
import { RunSummarySchema } from './runs'
import { DefenceSchema } from './defences'

export const ARCHITECTURES = ['mlp', 'cnn-small', 'resnet18'] as const

export const ModelConfigSchema = z
  .object({
    arch: z.enum(ARCHITECTURES),
    /** Channel/width multiplier (1 = the standard size). */
    width: z.number().positive().max(8).default(1)
  })
  .strict()

export const OptimizerSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sgd'),
      lr: z.number().positive().max(10),
      momentum: z.number().min(0).max(0.999).default(0.9),
      nesterov: z.boolean().default(false),
      weightDecay: z.number().min(0).max(1).default(5e-4)
    })
    .strict(),
  z
    .object({
      kind: z.literal('adam'),
      lr: z.number().positive().max(10),
      beta1: z.number().min(0).max(0.9999).default(0.9),
      beta2: z.number().min(0).max(0.99999).default(0.999),
      weightDecay: z.number().min(0).max(1).default(0)
    })
    .strict()
])

export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }).strict(),
  z
    .object({ kind: z.literal('step'), everyEpochs: z.number().int().positive(), gamma: z.number().positive().max(1).default(0.1) })
    .strict(),
  /** The seed study's "lr 0.1 / cosine decay": lr · ½(1 + cos(π · step / totalSteps)). */
  z.object({ kind: z.literal('cosine') }).strict()
])

export const AugmentationSchema = z
  .object({
    /** Random crop after zero padding by this many pixels (0 = off). CIFAR uses 4. */
    cropPadding: z.number().int().min(0).max(16).default(0),
    horizontalFlip: z.boolean().default(false)
  })
  .strict()

export const SubsetSchema = z
  .object({
    /** Stratified, seeded subset sizes; omitted = the whole split. */
    train: z.number().int().positive().optional(),
    test: z.number().int().positive().optional()
  })
  .strict()

export const TrainConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional(),
    /** Registered dataset, by name. */
    dataset: z.string().min(1),
    subset: SubsetSchema.default({}),
    model: ModelConfigSchema,
    optimizer: OptimizerSchema.default({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 5e-4 }),
    schedule: ScheduleSchema.default({ kind: 'cosine' }),
    epochs: z.number().int().positive().max(10_000),
    batchSize: z.number().int().positive().max(4096).default(128),
    augmentation: AugmentationSchema.default({ cropPadding: 0, horizontalFlip: false }),
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    /**
     * Softmax temperature the model is trained at (logits / T). 1 for ordinary training; a
     * distillation teacher is trained at T (Papernot et al. 2016) and deployed at T = 1.
     */
    temperature: z.number().positive().max(1000).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Evaluate on the test split after every epoch (clean accuracy). */
    evalEveryEpoch: z.boolean().default(true),
    /**
     * Data-parallel training: each batch is split across this many worker threads and their
     * gradients averaged (wasm and cpu backends, one core each). Omitted: the job's share of the
     * cores, or 1 for the mlp (too cheap per step for the split to pay).
     */
    workers: z.number().int().min(1).max(16).optional(),
    /** Adversarial training or a gradient-masking toy layer (lab/defences); omitted = none. */
    defence: DefenceSchema.optional()
  })
  .strict()
export type TrainConfig = z.output<typeof TrainConfigSchema>

/**
 * The student losses a distillation can train with, the default first (lab/train/losses.ts):
 * 'seed-times-t' is the seed write-up's loss times T, which learns at ordinary learning rates;
 * 'hinton-t2' is Hinton et al.'s (T² on the soft term, hard term at T = 1), for a teacher trained
 * at T = 1; 'seed' is the write-up's loss as it stands, which needs lr · T.
 */
export const DISTILL_LOSSES = ['seed-times-t', 'hinton-t2', 'seed'] as const
export type DistillLoss = (typeof DISTILL_LOSSES)[number]
export const DEFAULT_DISTILL_LOSS: DistillLoss = DISTILL_LOSSES[0]

/** The loss a distillation run's student trained with; runs from before the choice existed used 'seed'. */
export function distillLossOf(config: { loss?: DistillLoss }): DistillLoss {
  return config.loss ?? 'seed'
}

/**
 * The one rule for training at temperature T, used by the study presets, the distillation wizard
 * and (as a loss factor) lab/train/losses.ts. A loss that sees logits / T — a teacher's
 * CE(logits/T, y), the seed write-up's student loss — has gradients T times smaller than ordinary
 * training's, so it needs lr · T and, to keep the per-step weight decay lr · wd, wd / T. For SGD
 * with momentum that is the same update as multiplying the loss by T at the ordinary lr and wd,
 * which is what the 'seed-times-t' and 'hinton-t2' student losses do inside the loss: they keep
 * the ordinary values here.
 */
export function learningAtTemperature(
  ordinary: { lr: number; weightDecay: number },
  temperature: number,
  loss: 'teacher' | DistillLoss
): { lr: number; weightDecay: number } {
  const k = loss === 'teacher' || loss === 'seed' ? temperature : 1
  return { lr: ordinary.lr * k, weightDecay: ordinary.weightDecay / k }
}

export const DistillConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    projectId: z.number().int().positive().optional(),
    /** An existing completed training run to use as teacher; omitted = train one in this job. */
    teacherRunId: z.number().int().positive().optional(),
    /**
     * How to train the teacher when teacherRunId is omitted (its temperature is set to T). The
     * teacher takes no defence: defences belong to the deployed student.
     */
    teacher: TrainConfigSchema.omit({ name: true, projectId: true, defence: true }).optional(),
    /** The student: trained on the teacher's soft labels at the same T. */
    student: TrainConfigSchema.omit({ name: true, projectId: true, temperature: true }),
    /** Distillation temperature T; the seed study found 15–25 best. */
    temperature: z.number().positive().max(1000).default(20),
    /** Weight α of the soft (KL) term; 1 − α weighs the hard-label CE term. */
    alpha: z.number().min(0).max(1).default(0.7),
    /**
     * The student's loss form (DISTILL_LOSSES, lab/train/losses.ts); the default learns at the
     * learning rate the student config gives. A stored config without the field predates the
     * choice and used 'seed' (distillLossOf).
     */
    loss: z.enum(DISTILL_LOSSES).default(DEFAULT_DISTILL_LOSS)
  })
  .strict()
  .refine((c) => c.teacherRunId !== undefined || c.teacher !== undefined, {
    message: 'give either teacherRunId (an existing run) or teacher (a config to train one)',
    path: ['teacherRunId']
  })
export type DistillConfig = z.output<typeof DistillConfigSchema>

export const TrainEstimateSchema = z.object({
  backend: z.string(),
  trainImages: z.number().int(),
  testImages: z.number().int(),
  steps: z.number().int(),
  secondsPerStep: z.number(),
  trainSeconds: z.number(),
  evalSeconds: z.number(),
  totalSeconds: z.number()
})
export type TrainEstimate = z.infer<typeof TrainEstimateSchema>

export const trainRequests = {
  /** How long a training config will take on the active backend, from a measured probe. */
  'train.estimate': { params: TrainConfigSchema, result: TrainEstimateSchema },
  'train.start': { params: TrainConfigSchema, result: RunSummarySchema },
  'distill.start': { params: DistillConfigSchema, result: RunSummarySchema }
} as const
