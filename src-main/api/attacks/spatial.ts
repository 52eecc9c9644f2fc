/**
 * Spatial attacks — Engstrom, Tran, Tsipras, Schmidt & Madry, "Exploring the Landscape of Spatial
 * Robustness", ICML 2019. The adversary rotates and translates the image (bilinear resampling,
 * black fill) instead of adding a small perturbation: the threat model is the set of motions within
 * ±maxRotation degrees and ±maxTranslation pixels in each direction, and ε plays no part.
 *
 * Budget: the paper's ±30° and ±3 px (on CIFAR-10's 32 px; for MNIST's 28 px we keep the same ±3 px,
 * 11 % of the side against CIFAR's 9 %, as the paper's MNIST experiments do), grid of 31 rotations ×
 * 5 × 5 translations (775 motions), and its random variant's worst of k = 10.
 */
import { amountSetting, countSetting, declareAttack, parseAttackSettings, type AttackDeclaration } from './declaration'

const bounds = {
  maxRotation: amountSetting(30, 0, 180),
  maxTranslation: amountSetting(3, 0, 64)
}

/** Worst-of-k over the grid: every motion of the grid is tried, the worst one for the model kept. */
export const spatialGridDeclaration = declareAttack({
  id: 'spatial-grid',
  paper: 'Engstrom, Tran, Tsipras, Schmidt & Madry, "Exploring the Landscape of Spatial Robustness", ICML 2019',
  norms: ['Linf', 'L2'],
  description:
    'Spatial grid attack (Engstrom et al. 2019): tries every rotation and translation of a grid (31 angles in ±30° × 5 × 5 shifts in ±3 px, bilinear, black fill) and keeps the worst; ignores ε.',
  settings: { ...bounds, rotations: countSetting(31), translations: countSetting(5) },
  perturbation: 'spatial'
})

/** Random-k: k motions drawn uniformly from the same box, the worst kept (the paper's worst-of-10). */
export const spatialRandomDeclaration = declareAttack({
  id: 'spatial-random',
  paper: 'Engstrom, Tran, Tsipras, Schmidt & Madry, "Exploring the Landscape of Spatial Robustness", ICML 2019',
  norms: ['Linf', 'L2'],
  description:
    'Spatial random attack (Engstrom et al. 2019): the worst of k = 10 random rotations in ±30° and translations in ±3 px (bilinear, black fill); ignores ε.',
  settings: { ...bounds, k: countSetting(10) },
  perturbation: 'spatial'
})

export const SPATIAL_NORM = 'spatial'

/**
 * Where a spatial attack's result is filed in the log and the results table: under the norm
 * "spatial" at its rotation bound in degrees (the parameter a sweep over spatial budgets varies),
 * in place of the ε it ignores. null for an ε-ball attack.
 */
export function spatialResultKey(
  declaration: AttackDeclaration<unknown, unknown>,
  settings: Record<string, unknown>
): { norm: string; epsilon: number } | null {
  if (declaration.perturbation !== 'spatial') return null
  const parsed = parseAttackSettings(declaration, settings) as { maxRotation: number }
  return { norm: SPATIAL_NORM, epsilon: parsed.maxRotation }
}
