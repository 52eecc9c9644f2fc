/**
 * Pre-flight checks before an attack spends its budget — the idea of AutoAttack's `checks` module
 * (Croce & Hein 2020): cheap looks at the model that say when the attack about to run will
 * understate what an adversary can do. They reuse the masking diagnostics' probes and thresholds
 * (probes.ts, checks.ts; README.md, checks 5 and 6) and are stored as warnings on the run.
 */
import type { Classifier } from '../../attacks/types'
import { THRESHOLDS } from './checks'
import { logitShape, maxLogitChange } from './probes'

/** Images the checks look at: enough to see randomness or softmax rows, cheap next to any attack. */
export const PREFLIGHT_IMAGES = 64

/** Targeted attacks and how many other classes they aim at in AutoAttack's standard (and fast) plan. */
const STANDARD_TARGETS: Record<string, number> = { 'apgd-t': 9, 'fab-t': 9, autoattack: 9, 'autoattack-fast': 3 }

/** Warnings for attacking `model` with `attackIds` (see the module comment); `images` are its first test images. */
export function preflightWarnings(model: Classifier, images: Float32Array, attackIds: readonly string[]): string[] {
  const warnings: string[] = []
  const change = maxLogitChange(model, images)
  if (change > THRESHOLDS.randomLogitChange && !attackIds.every((id) => id === 'autoattack-rand'))
    warnings.push(
      `Pre-flight: the model is randomised — two calls on the same images differ by up to ${change.toExponential(2)} in a logit. ` +
        'Attacks without EOT understate what an adversary can do; use autoattack-rand or a full evaluation (PGD with EOT) (masking check 6).'
    )
  if (logitShape(model, images).probabilityLike)
    warnings.push(
      'Pre-flight: the model outputs probabilities (rows in [0, 1] summing to 1), not logits: the cross-entropy gradient vanishes through them. ' +
        'Use loss "margin", APGD-DLR or AutoAttack, or remove the softmax (masking check 5).'
    )
  const others = model.numClasses - 1
  for (const id of attackIds)
    if (STANDARD_TARGETS[id] !== undefined && others < STANDARD_TARGETS[id])
      warnings.push(`Pre-flight: ${id} aims at ${STANDARD_TARGETS[id]} other classes in AutoAttack's plan, but the model has only ${model.numClasses} classes; it aims at ${others}.`)
  return warnings
}
