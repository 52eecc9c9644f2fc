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
