/**
 * The one runner every attack goes through (the idea of torchattacks' shared base, without its
 * stateful class): it checks the call, parses the settings against the attack's declaration
 * (api/attacks), hands the algorithm typed settings with every default filled in, projects what
 * the algorithm found onto the ε-ball and [0, 1] exactly once (a spatial attack's onto [0, 1] only),
 * and reports completion. An attack file is then only its algorithm.
 */
import * as tf from '@tensorflow/tfjs-core'
import { resolveAttackSettings, type AttackDeclaration } from '../../api/attacks'
import { checkCall, projectToBall } from './base'
import type { Attack, AttackResult, Classifier, Norm } from './types'

/** One call as an algorithm sees it: the threat model, the seed and its typed settings. */
export interface AttackCall<S> {
  norm: Norm
  epsilon: number
  seed: number
  settings: S
}

/** What an algorithm returns: its best images, not yet projected (the runner does that), and what it reports. */
export type AlgorithmResult = Omit<AttackResult, 'adversarial'> & { candidate: tf.Tensor4D }

export type Algorithm<S> = (
  model: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  call: AttackCall<S>,
  progress?: (done: number, total: number) => void
) => Promise<AlgorithmResult>

/** The attack a declaration and its algorithm make. */
export function defineAttack<P, R>(declaration: AttackDeclaration<P, R>, algorithm: Algorithm<R>): Attack {
  return {
    id: declaration.id,
    description: declaration.description,
    norms: declaration.norms,
    async run(model, x, y, params, progress) {
      checkCall(declaration.id, declaration.norms, model, x, y, params)
      const { norm, epsilon, seed, ...settings } = params
      const resolved = resolveAttackSettings(declaration, settings, { epsilon, numClasses: model.numClasses })
      const { candidate, ...rest } = await algorithm(model, x, y, { norm, epsilon, seed, settings: resolved }, progress)
      // A spatial attack moves pixels, which no ε-ball contains: its images are only kept in [0, 1].
      const adversarial =
        declaration.perturbation === 'spatial' ? tf.clipByValue(candidate, 0, 1) : projectToBall(x, candidate, norm, epsilon)
      if (candidate !== x) candidate.dispose()
      progress?.(1, 1)
      return { adversarial, ...rest }
    }
  }
}
