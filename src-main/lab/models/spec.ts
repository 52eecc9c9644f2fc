/**
 * What a model is, as data: enough to rebuild it (from a checkpoint or an imported state_dict).
 */
export const ARCHITECTURES = ['mlp', 'cnn-small', 'resnet18'] as const
export type Architecture = (typeof ARCHITECTURES)[number]

export interface ModelSpec {
  arch: Architecture
  /** [height, width, channels] of one input image (NHWC without the batch). */
  inputShape: [number, number, number]
  numClasses: number
  /** Multiplies every layer's channel / unit count (1 = the reference size). */
  width: number
  /** Per-channel normalisation applied first: (x − mean) / std, x in [0, 1]. */
  mean: number[]
  std: number[]
  /** Seed of the weight initialisation. */
  seed: number
}

export function isArchitecture(name: string): name is Architecture {
  return (ARCHITECTURES as readonly string[]).includes(name)
}

/** Fills in defaults and checks the spec; throws with the field and value that is wrong. */
export function normaliseSpec(input: Partial<ModelSpec> & Pick<ModelSpec, 'arch' | 'inputShape' | 'numClasses'>): ModelSpec {
  const c = input.inputShape[2]
  const spec: ModelSpec = {
    arch: input.arch,
    inputShape: [...input.inputShape] as [number, number, number],
    numClasses: input.numClasses,
    width: input.width ?? 1,
    mean: input.mean ?? new Array(c).fill(0),
    std: input.std ?? new Array(c).fill(1),
    seed: input.seed ?? 0
  }
  if (!isArchitecture(spec.arch)) throw new Error(`model arch "${spec.arch}" is unknown; expected one of ${ARCHITECTURES.join(', ')}`)
  if (spec.inputShape.length !== 3 || spec.inputShape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`model inputShape ${JSON.stringify(spec.inputShape)} must be [height, width, channels] of positive integers`)
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2)
    throw new Error(`model numClasses ${spec.numClasses} must be an integer ≥ 2`)
  if (!(spec.width > 0)) throw new Error(`model width ${spec.width} must be > 0`)
  if (spec.mean.length !== c || spec.std.length !== c)
    throw new Error(`model mean/std need one value per input channel (${c}); got ${spec.mean.length} and ${spec.std.length}`)
  if (spec.std.some((s) => !(s > 0))) throw new Error(`model std ${JSON.stringify(spec.std)} must be positive`)
  return spec
}

/** Channel count scaled by the width multiplier, never below 1. */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width))
}
