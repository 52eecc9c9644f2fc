/**
 * Randomised smoothing (Cohen, Rosenfeld & Kolter 2019, "Certified Adversarial Robustness via
 * Randomized Smoothing"): the smoothed classifier g(x) = argmax_c P(f(x + δ) = c), δ ~ N(0, σ²I),
 * is robust in L2 within σ·Φ⁻¹(pA) when its top class has probability pA ≥ ½. CERTIFY estimates
 * this by Monte Carlo: n0 noisy copies guess the top class, n fresh ones count it, and the
 * Clopper–Pearson bound turns the count into pA_lower, which holds with probability ≥ 1 − α. When
 * pA_lower ≤ ½ it abstains. The noise is not clipped to [0, 1], as in the paper: the certificate is
 * about f on x + δ whatever the pixel range.
 */
import { mulberry32NonZero } from '../random'
import { clopperPearsonLower, gaussianSampler, normalQuantile } from './statistics'

export interface SmoothingBudget {
  /** Noise level σ (pixels in [0, 1]). */
  sigma: number
  /** Noisy copies for the guess of the top class. */
  n0: number
  /** Noisy copies for the estimate of pA. */
  n: number
  /** The certificate fails with probability at most α. */
  alpha: number
  /** Noisy copies classified per call of the base classifier. */
  batchSize?: number
}

export interface SmoothedPrediction {
  /** The certified class, or −1 when CERTIFY abstains. */
  prediction: number
  /** The certified L2 radius σ·Φ⁻¹(pA_lower); 0 when it abstains. */
  radius: number
  pALower: number
  /** Of the n counting copies, how many the base classifier put in the guessed class. */
  count: number
}

/** Classes of a batch of `count` images (flattened, each of `size` values). */
export type BaseClassifier = (images: Float32Array, count: number) => Int32Array

/** CERTIFY for one image: the smoothed prediction and its radius. Seeded: the same seed, the same noise. */
export function certifySmoothed(
  classify: BaseClassifier,
  image: Float32Array,
  numClasses: number,
  budget: SmoothingBudget,
  seed: number
): SmoothedPrediction {
  const gaussian = gaussianSampler(mulberry32NonZero(seed))
  const guess = argmax(sampleCounts(classify, image, numClasses, budget.n0, budget, gaussian))
  const count = sampleCounts(classify, image, numClasses, budget.n, budget, gaussian)[guess]
  const pALower = clopperPearsonLower(count, budget.n, budget.alpha)
  if (pALower <= 0.5) return { prediction: -1, radius: 0, pALower, count }
  return { prediction: guess, radius: budget.sigma * normalQuantile(pALower), pALower, count }
}

/** How often f(x + δ) is each class over `copies` noise draws. */
function sampleCounts(
  classify: BaseClassifier,
  image: Float32Array,
  numClasses: number,
  copies: number,
  budget: SmoothingBudget,
  gaussian: () => number
): Int32Array {
  const counts = new Int32Array(numClasses)
  const size = image.length
  const batch = Math.max(1, budget.batchSize ?? 250)
  for (let done = 0; done < copies; done += batch) {
    const m = Math.min(batch, copies - done)
    const noisy = new Float32Array(m * size)
    for (let k = 0; k < m; k++) for (let i = 0; i < size; i++) noisy[k * size + i] = image[i] + budget.sigma * gaussian()
    for (const c of classify(noisy, m)) counts[c]++
  }
  return counts
}

function argmax(counts: Int32Array): number {
  let best = 0
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[best]) best = c
  return best
}

/**
 * Certified accuracy at each radius: the share of samples CERTIFY classifies correctly with a
 * radius of at least r (Cohen et al.'s definition).
 */
export function certifiedAccuracyAtRadii(
  predictions: SmoothedPrediction[],
  labels: Int32Array,
  radii: number[]
): { radius: number; accuracy: number }[] {
  const n = predictions.length
  return radii.map((radius) => ({
    radius,
    accuracy: n ? predictions.filter((p, i) => p.prediction === labels[i] && p.radius >= radius).length / n : 0
  }))
}
