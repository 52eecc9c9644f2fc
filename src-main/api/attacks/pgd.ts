import { countSetting, declareAttack, flagSetting, lossSetting, optionalAmount, type AttackContext } from './declaration'

function pgdSettings(randomStart: boolean) {
  return {
    steps: countSetting(10),
    stepSize: optionalAmount(0),
    restarts: countSetting(1),
    randomStart: flagSetting(randomStart),
    loss: lossSetting()
  }
}

// Madry et al.'s rule: a step of 2.5·ε/steps lets the iterate reach the ball's boundary from anywhere in it.
const resolvePgd = <S extends { steps: number; stepSize?: number; restarts: number; randomStart: boolean; loss: 'ce' | 'margin' }>(
  s: S,
  { epsilon }: AttackContext
) => ({
  steps: s.steps,
  stepSize: s.stepSize ?? (2.5 * epsilon) / s.steps,
  restarts: s.restarts,
  randomStart: s.randomStart,
  loss: s.loss
})

export type PgdSettings = ReturnType<typeof resolvePgd>

/** PGD — Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018. */
export const pgdDeclaration = declareAttack({
  id: 'pgd',
  paper: 'Madry, Makelov, Schmidt, Tsipras & Vladu, "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018',
  norms: ['Linf', 'L2'],
  description:
    'PGD (Madry et al. 2018): 10 projected gradient-sign steps of 2.5·ε/10 from a random start in the ε-ball; cross-entropy (or margin) loss; restarts.',
  settings: pgdSettings(true),
  resolve: resolvePgd
})

/** BIM — Kurakin, Goodfellow & Bengio, "Adversarial Examples in the Physical World", ICLR-W 2017: PGD from x itself. */
export const bimDeclaration = declareAttack({
  id: 'bim',
  paper: 'Kurakin, Goodfellow & Bengio, "Adversarial Examples in the Physical World", ICLR Workshop 2017',
  norms: ['Linf', 'L2'],
  description: 'BIM (Kurakin et al. 2017): iterative FGSM from the clean image, 10 steps of 2.5·ε/10, clipped to the ε-ball and [0, 1].',
  settings: pgdSettings(false),
  resolve: resolvePgd
})
