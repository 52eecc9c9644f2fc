/**
 * Defences: those chosen when training (recorded in the run's config) and the test-time layers
 * that wrap a trained model as a new model run (`defences.wrap`).
 */
import { z } from 'zod'
import { PixelAmountSchema } from './epsilon'
import { RunIdSchema, RunSummarySchema } from './runs'

/**
 * Defences selectable when training (recorded in the run config) or when wrapping a trained model
 * (`defences.wrap`). The toys exist to teach gradient masking and to test its diagnostics.
 */
export const DefenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  /** FGSM adversarial training with a random start (Wong, Rice & Kolter 2020, "Fast is better than free"). */
  z
    .object({
      kind: z.literal('fgsm-at'),
      epsilon: PixelAmountSchema,
      /** Step size; default 1.25·ε as in Wong et al. */
      stepSize: PixelAmountSchema.optional(),
      /** Weight of the clean loss; 1 − mix weighs the adversarial loss (0 = adversarial only). */
      mix: z.number().min(0).max(1).default(0)
    })
    .strict(),
  /** PGD-k adversarial training (Madry et al. 2018): L∞ PGD with a random start, k steps. */
  z
    .object({
      kind: z.literal('pgd-at'),
      epsilon: PixelAmountSchema,
      steps: z.number().int().min(1).max(100).default(7),
      /** Default 2.5·ε/steps (Madry et al.). */
      stepSize: PixelAmountSchema.optional(),
      mix: z.number().min(0).max(1).default(0)
    })
    .strict(),
  /**
   * CROWN-IBP certified training (Zhang et al. 2020, "Towards Stable and Efficient Training of
   * Verifiably Robust Neural Networks"): κ·natural loss + (1 − κ)·cross-entropy of the negated
   * margin bound (1 − β)·IBP + β·CROWN-IBP at ε. Over the ramp (fractions of the training steps)
   * ε grows linearly from 0 to `epsilon`, β from betaStart to betaEnd and κ from kappaStart to
   * kappaEnd; before it they hold their start values, after it their end ones. mlp and cnn-small only.
   */
  z
    .object({
      kind: z.literal('crown-ibp'),
      epsilon: PixelAmountSchema,
      rampStart: z.number().min(0).max(1).default(0.05),
      rampEnd: z.number().min(0).max(1).default(0.5),
      betaStart: z.number().min(0).max(1).default(1),
      betaEnd: z.number().min(0).max(1).default(0),
      kappaStart: z.number().min(0).max(1).default(1),
      kappaEnd: z.number().min(0).max(1).default(0)
    })
    .strict()
    .refine((d) => d.rampEnd >= d.rampStart, { message: 'rampEnd must not come before rampStart', path: ['rampEnd'] }),
  /**
   * Gaussian noise augmentation (Cohen, Rosenfeld & Kolter 2019): every training image is replaced by
   * x + δ, δ ~ N(0, σ²I), unclipped — the base classifier randomised smoothing at σ certifies best.
   */
  z.object({ kind: z.literal('gaussian-noise'), sigma: z.number().positive().max(1).default(0.25) }).strict(),
  /** The seed study's "Gradient Mask Toy": identity forward, zero (or scaled) backward at the input. */
  z.object({ kind: z.literal('gradient-truncation'), backwardScale: z.number().min(0).max(1).default(0) }).strict(),
  /** Input quantisation to `levels` grey levels per channel: non-differentiable (gradient 0). */
  z.object({ kind: z.literal('quantisation'), levels: z.number().int().min(2).max(256).default(8) }).strict(),
  /**
   * Random resize-and-pad (Xie et al. 2018) plus optional Gaussian noise: a random scale in
   * [minScale, 1], placed at a random offset on a zero canvas of the input size. Randomised.
   */
  z
    .object({
      kind: z.literal('random-resize'),
      minScale: z.number().min(0.3).max(1).default(0.8),
      noiseStd: z.number().min(0).max(1).default(0)
    })
    .strict()
])
export type Defence = z.output<typeof DefenceSchema>
export type DefenceKind = Defence['kind']

export const WrapRequestSchema = z
  .object({
    runId: RunIdSchema,
    defence: DefenceSchema,
    name: z.string().trim().min(1).max(200).optional()
  })
  .strict()

export const defenceRequests = {
  /** A new model run: an existing run's weights behind a defence layer (no training). */
  'defences.wrap': { params: WrapRequestSchema, result: RunSummarySchema }
} as const
