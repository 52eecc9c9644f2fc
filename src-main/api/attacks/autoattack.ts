import { choiceSetting, declareAttack } from './declaration'

const PAPER = 'Croce & Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse parameter-free attacks", ICML 2020'

export const AUTOATTACK_VERSIONS = ['standard', 'rand', 'fast'] as const
export type AutoAttackVersion = (typeof AUTOATTACK_VERSIONS)[number]

export const autoAttackDeclaration = declareAttack({
  id: 'autoattack',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description:
    'AutoAttack standard (Croce & Hein 2020): APGD-CE → APGD-T (9 × 100) → FAB-T (9 × 100) → Square (5000 queries), each on the points still robust. Setting version: standard | rand | fast.',
  settings: { version: choiceSetting(AUTOATTACK_VERSIONS, 'standard') }
})

/** The fixed versions take no settings: their budget is the version. */
export const autoAttackRandDeclaration = declareAttack({
  id: 'autoattack-rand',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description:
    'AutoAttack rand (Croce & Hein 2020): APGD-CE and APGD-DLR, 100 steps each, gradients averaged over 20 EOT samples — for randomised defences.',
  settings: {}
})

export const autoAttackFastDeclaration = declareAttack({
  id: 'autoattack-fast',
  paper: PAPER,
  norms: ['Linf', 'L2'],
  description:
    'AutoAttack fast (not the standard AutoAttack budget): APGD-CE 20 steps → APGD-T 3 × 20 → FAB-T 3 × 20 → Square 500 queries; for quick looks only.',
  settings: {}
})
