import { amountSetting, countSetting, declareAttack } from './declaration'

/**
 * C&W-L2 — Carlini & Wagner, "Towards Evaluating the Robustness of Neural Networks", IEEE S&P 2017.
 * Fewer iterations than the paper's 10,000 (raise `steps` for a thorough run); the rest as in the paper.
 */
export const cwL2Declaration = declareAttack({
  id: 'cw-l2',
  paper: 'Carlini & Wagner, "Towards Evaluating the Robustness of Neural Networks", IEEE S&P 2017',
  norms: ['L2'],
  description:
    'C&W-L2 (Carlini & Wagner 2017): Adam in tanh space on ‖δ‖² + c·margin, binary search over c (5 × 100 steps); minimal L2 perturbation.',
  settings: {
    binarySteps: countSetting(5),
    steps: countSetting(100),
    initialC: amountSetting(0.01),
    confidence: amountSetting(0),
    learningRate: amountSetting(0.01)
  }
})
