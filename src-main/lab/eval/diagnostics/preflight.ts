/**
 * Pre-flight checks before an attack spends its budget — the idea of AutoAttack's `checks` module
 * (Croce & Hein 2020): cheap looks at the model that say when the attack about to run will
 * understate what an adversary can do. They reuse the masking diagnostics' probes and thresholds
 * (probes.ts, checks.ts; README.md, checks 5 and 6) and are stored as warnings on the run.
 */
import { attackDeclaration, resolveAttackSettings } from '../../../api/attacks'
import type { AutoAttackVersion } from '../../../api/attacks'
import { autoAttackPlan } from '../../attacks/autoattack'
import type { Classifier } from '../../attacks/types'
import { THRESHOLDS } from './checks'
import { logitShape, maxLogitChange } from './probes'

/** Images the checks look at: enough to see randomness or softmax rows, cheap next to any attack. */
export const PREFLIGHT_IMAGES = 64

export interface AttackChoice {
  attack: string
  settings?: Record<string, unknown>
}

/**
 * How many other classes an attack aims at before the model's class count limits it: its
 * declaration's default for a targeted attack, the largest of its plan's stages for AutoAttack.
 */
function plannedTargets({ attack, settings = {} }: AttackChoice): number {
  const version = attack.startsWith('autoattack')
    ? ((attack === 'autoattack' ? (settings.version ?? 'standard') : attack.slice('autoattack-'.length)) as AutoAttackVersion)
    : null
  if (version) return Math.max(0, ...autoAttackPlan(version).map((stage) => Number(stage.settings.targets ?? 0)))
  const resolved = resolveAttackSettings(attackDeclaration(attack), settings, { epsilon: 1, numClasses: Number.MAX_SAFE_INTEGER }) as {
    targets?: number
  }
  return resolved.targets ?? 0
}

/** Warnings for attacking `model` with these attacks (see the module comment); `images` are its first test images. */
export function preflightWarnings(model: Classifier, images: Float32Array, choices: readonly AttackChoice[]): string[] {
  const attackIds = choices.map((c) => c.attack)
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
  for (const choice of choices) {
    const planned = plannedTargets(choice)
    if (planned > others)
      warnings.push(
        `Pre-flight: ${choice.attack} aims at ${planned} other classes by default, but the model has only ${model.numClasses} classes; it aims at ${others}.`
      )
  }
  return warnings
}
