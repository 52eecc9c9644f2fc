/**
 * What a full robustness evaluation runs, per budget preset. `standard` is the default and is sized
 * to finish within 10 minutes for a cnn-small on 1,000 MNIST test images on a 2-core machine
 * (measured numbers in the evaluation report); `quick` is for a first look in a minute or two.
 * Every number here is recorded with the results it produced.
 */
import type { Budget } from '../../api/evaluation'
import type { Norm } from '../attacks/types'

export interface FullEvalBudget {
  n: number
  pgd: { steps: number; restarts: number }
  /** PGD for the ε-curve (each point), on the first `n` samples. */
  curve: { steps: number; n: number }
  /** AutoAttack on the first `n` samples; versions other than standard are recorded as autoattack-<version>. */
  autoattack: { version: 'standard' | 'fast'; n: number }
  /** Square runs on the first `n` samples only (it is the slowest per sample). */
  square: { queries: number; n: number }
  /** PGD through BPDA/EOT, for models with a toy layer. */
  adaptive: { steps: number; eotSamples: number }
  clever: { samples: number; batches: number; samplesPerBatch: number }
  /** CROWN certification (beside IBP's, at each ε of the curve) on the first `n` samples. */
  crown: { n: number }
  /** Randomised smoothing on the first `n` samples: `copies` noisy copies each (after n0 = 100), α = 0.001. */
  smoothing: { n: number; copies: number }
  /** Samples for the zero-gradient, logit and repeatability probes. */
  probes: number
  gallery: number
}

export const BUDGETS: Record<Budget, FullEvalBudget> = {
  quick: {
    n: 200,
    pgd: { steps: 10, restarts: 1 },
    curve: { steps: 10, n: 200 },
    autoattack: { version: 'fast', n: 100 },
    square: { queries: 300, n: 100 },
    adaptive: { steps: 10, eotSamples: 5 },
    clever: { samples: 5, batches: 10, samplesPerBatch: 32 },
    crown: { n: 10 },
    smoothing: { n: 20, copies: 1000 },
    probes: 200,
    gallery: 8
  },
  standard: {
    n: 1000,
    pgd: { steps: 20, restarts: 1 },
    curve: { steps: 10, n: 500 },
    autoattack: { version: 'fast', n: 200 },
    square: { queries: 500, n: 200 },
    adaptive: { steps: 20, eotSamples: 10 },
    clever: { samples: 8, batches: 20, samplesPerBatch: 32 },
    crown: { n: 20 },
    smoothing: { n: 50, copies: 1000 },
    probes: 500,
    gallery: 8
  },
  thorough: {
    n: 1000,
    pgd: { steps: 100, restarts: 1 },
    curve: { steps: 20, n: 1000 },
    autoattack: { version: 'standard', n: 1000 },
    square: { queries: 5000, n: 1000 },
    adaptive: { steps: 100, eotSamples: 20 },
    clever: { samples: 50, batches: 50, samplesPerBatch: 128 },
    crown: { n: 1000 },
    smoothing: { n: 500, copies: 10_000 },
    probes: 1000,
    gallery: 16
  }
}

/**
 * The sanity ε of the curve: large enough that every image can be turned uniform grey (0.5 in L∞,
 * 0.5·√d in L2), so any working attack must bring accuracy down to about chance.
 */
export function sanityEpsilon(norm: Norm, inputSize: number): number {
  return norm === 'Linf' ? 0.5 : 0.5 * Math.sqrt(inputSize)
}

/** The ε-curve: ε/4, ε/2, ε, 2ε, 4ε and the sanity ε, ascending and without duplicates. */
export function defaultCurve(epsilon: number, norm: Norm, inputSize: number): number[] {
  const sanity = sanityEpsilon(norm, inputSize)
  const grid = [epsilon / 4, epsilon / 2, epsilon, 2 * epsilon, 4 * epsilon].filter((e) => e < sanity)
  return [...new Set([...grid, sanity])].sort((a, b) => a - b)
}

/** CLEVER's ball radius (also the largest score it reports): twice the headline ε, at least 0.1 (L∞) or 2 (L2). */
export function cleverRadius(norm: Norm, epsilon: number): number {
  return norm === 'Linf' ? Math.max(0.1, 2 * epsilon) : Math.max(2, 2 * epsilon)
}
