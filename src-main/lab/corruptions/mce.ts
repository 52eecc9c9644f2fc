/**
 * The mean corruption error of Hendrycks & Dietterich (ICLR 2019, section 4.1). With E(s, c) the
 * error (1 − accuracy) at severity s of corruption c:
 *   CE_c  = Σ_s E_model(s, c) / Σ_s E_baseline(s, c),      mCE = mean over c of CE_c;
 *   relative CE_c = Σ_s (E_model(s, c) − E_model,clean) / Σ_s (E_baseline(s, c) − E_baseline,clean),
 *   relative mCE = its mean — how much accuracy is lost to the corruption, not its level.
 * A corruption on which the baseline makes no error (or loses nothing) gives no ratio; it is left
 * out of the mean and said so (null), never counted as 0 or ∞.
 */

export interface CorruptionErrorInput {
  /** Per corruption, the errors at each severity measured (the same severities for both models). */
  model: Record<string, number[]>
  baseline: Record<string, number[]>
  cleanError: { model: number; baseline: number }
}

export interface CorruptionErrorResult {
  mce: number | null
  relativeMce: number | null
  perCorruption: Record<string, { ce: number | null; relativeCe: number | null }>
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
const mean = (values: number[]): number | null => (values.length ? sum(values) / values.length : null)

export function meanCorruptionError({ model, baseline, cleanError }: CorruptionErrorInput): CorruptionErrorResult {
  const perCorruption: CorruptionErrorResult['perCorruption'] = {}
  for (const [id, errors] of Object.entries(model)) {
    const base = baseline[id]
    if (!base || base.length !== errors.length) throw new Error(`the baseline has no errors for corruption "${id}" at the same severities`)
    const denominator = sum(base)
    const relativeDenominator = sum(base.map((e) => e - cleanError.baseline))
    perCorruption[id] = {
      ce: denominator > 0 ? sum(errors) / denominator : null,
      relativeCe: relativeDenominator > 0 ? sum(errors.map((e) => e - cleanError.model)) / relativeDenominator : null
    }
  }
  const values = Object.values(perCorruption)
  return {
    mce: mean(values.map((v) => v.ce).filter((v): v is number => v !== null)),
    relativeMce: mean(values.map((v) => v.relativeCe).filter((v): v is number => v !== null)),
    perCorruption
  }
}
