import { amountSetting, countSetting, declareAttack, optionalCount } from './declaration'
import { resolveTargets } from './apgd'

/**
 * FAB-T — Croce & Hein, "Minimally distorted Adversarial Examples with a Fast Adaptive Boundary
 * Attack", ICML 2020; AutoAttack's standard values: 100 steps, 9 targets, α_max 0.1, η 1.05, β 0.9.
 */
export const fabTDeclaration = declareAttack({
  id: 'fab-t',
  paper: 'Croce & Hein, "Minimally distorted Adversarial Examples with a Fast Adaptive Boundary Attack", ICML 2020',
  norms: ['Linf', 'L2'],
  description:
    'FAB-T (Croce & Hein 2020): targeted minimal-perturbation attack by projections onto the linearised boundary, 9 targets × 100 steps.',
  settings: {
    steps: countSetting(100),
    targets: optionalCount(1),
    alphaMax: amountSetting(0.1, 0, 1),
    eta: amountSetting(1.05, 1),
    beta: amountSetting(0.9, 0, 1)
  },
  resolve: (s, context) => ({
    steps: s.steps,
    targets: resolveTargets('fab-t', s.targets, context),
    alphaMax: s.alphaMax,
    eta: s.eta,
    beta: s.beta
  })
})
