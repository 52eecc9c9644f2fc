import { amountSetting, countSetting, declareAttack } from './declaration'

/** Square Attack — Andriushchenko, Croce, Flammarion & Hein, ECCV 2020; AutoAttack's budget: 5000 queries, p_init 0.8. */
export const squareDeclaration = declareAttack({
  id: 'square',
  paper:
    'Andriushchenko, Croce, Flammarion & Hein, "Square Attack: a query-efficient black-box adversarial attack via random search", ECCV 2020',
  norms: ['Linf', 'L2'],
  description:
    'Square Attack (Andriushchenko et al. 2020): score-based random search over squares, 5000 queries, p_init 0.8; needs no gradients.',
  settings: { queries: countSetting(5000), pInit: amountSetting(0.8, 0, 1) }
})
