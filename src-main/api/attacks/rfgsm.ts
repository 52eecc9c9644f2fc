import { declareAttack, lossSetting, optionalAmount, settingError } from './declaration'

/** R-FGSM — Tramèr et al., "Ensemble Adversarial Training", ICLR 2018. */
export const rfgsmDeclaration = declareAttack({
  id: 'rfgsm',
  paper: 'Tramèr, Kurakin, Papernot, Goodfellow, Boneh & McDaniel, "Ensemble Adversarial Training: Attacks and Defenses", ICLR 2018',
  norms: ['Linf', 'L2'],
  description: 'R-FGSM (Tramèr et al. 2018): a random step of α = ε/2 along sign(N(0, I)), then one gradient-sign step of ε − α.',
  settings: { alpha: optionalAmount(0), loss: lossSetting() },
  resolve: (s, { epsilon }) => {
    // The paper's α = ε/2: half the budget spent on the random step, half on the gradient step.
    const alpha = s.alpha ?? epsilon / 2
    if (alpha > epsilon) throw settingError('rfgsm', 'alpha', `must be ≤ ε = ${epsilon}`, alpha)
    return { alpha, loss: s.loss }
  }
})

/** FGSM with a uniform random start — Wong, Rice & Kolter, "Fast is better than free", ICLR 2020. */
export const fgsmRandomStartDeclaration = declareAttack({
  id: 'fgsm-rs',
  paper: 'Wong, Rice & Kolter, "Fast is better than free: Revisiting adversarial training", ICLR 2020',
  norms: ['Linf', 'L2'],
  description: 'FGSM with a uniform random start (Wong et al. 2020): start in U(−ε, ε), one step of 1.25·ε, projected onto the ε-ball.',
  settings: { alpha: optionalAmount(0), loss: lossSetting() },
  // Wong et al.'s step α = 1.25·ε.
  resolve: (s, { epsilon }) => ({ alpha: s.alpha ?? 1.25 * epsilon, loss: s.loss })
})
