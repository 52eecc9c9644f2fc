import { countSetting, declareAttack, optionalCount, settingError, type AttackContext } from './declaration'

const PAPER = 'Croce & Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse parameter-free attacks", ICML 2020'

/** AutoAttack's "standard" budget: 100 steps, 1 restart. */
const untargeted = () => ({ steps: countSetting(100), restarts: countSetting(1) })

/** How many most-likely other classes a targeted attack aims at: 9 in AutoAttack, at most classes − 1. */
export function resolveTargets(attackId: string, targets: number | undefined, { numClasses }: AttackContext): number {
  const t = targets ?? Math.min(9, numClasses - 1)
  if (t > numClasses - 1) throw settingError(attackId, 'targets', `must be ≤ ${numClasses - 1} (the model has ${numClasses} classes)`, t)
  return t
}

export const apgdCeDeclaration = declareAttack({
  id: 'apgd-ce',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description: 'APGD-CE (Croce & Hein 2020): step-size-free PGD with momentum and checkpoint halving; cross-entropy loss, 100 steps.',
  settings: untargeted()
})

export const apgdDlrDeclaration = declareAttack({
  id: 'apgd-dlr',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description: 'APGD-DLR (Croce & Hein 2020): APGD on the scale-invariant difference-of-logits-ratio loss, 100 steps.',
  settings: untargeted()
})

export const apgdTDeclaration = declareAttack({
  id: 'apgd-t',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description: 'APGD-T (Croce & Hein 2020): APGD on the targeted DLR loss toward each of the 9 most likely other classes, 100 steps each.',
  settings: { ...untargeted(), targets: optionalCount(1) },
  resolve: (s, context) => ({ steps: s.steps, restarts: s.restarts, targets: resolveTargets('apgd-t', s.targets, context) })
})
