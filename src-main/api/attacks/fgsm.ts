import { declareAttack, lossSetting } from './declaration'

/**
 * FGSM — Goodfellow, Shlens & Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015.
 * One gradient, no randomness; the L2 variant is the "fast gradient method".
 */
export const fgsmDeclaration = declareAttack({
  id: 'fgsm',
  paper: 'Goodfellow, Shlens & Szegedy, "Explaining and Harnessing Adversarial Examples", ICLR 2015',
  norms: ['Linf', 'L2'],
  description: 'FGSM (Goodfellow et al. 2015): one step of size ε along sign(∇x loss), clipped to [0, 1]; cross-entropy loss.',
  settings: { loss: lossSetting() }
})
