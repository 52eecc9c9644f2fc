import type * as tf from '@tensorflow/tfjs-core'

import type { Norm } from '../../api/attacks'

export type { Norm }

/** A classifier as attacks see it. Images are float32 [0, 1] NHWC; the model runs in inference mode. */
export interface Classifier {
  numClasses: number
  inputShape: [number, number, number]
  /** Inference-mode logits of a batch. May be random when `randomised` is true. */
  logits(x: tf.Tensor4D): tf.Tensor2D
  /**
   * d/dx of sum over the batch of loss(logits(x), y) — the input gradient only, never weight
   * gradients. BPDA and EOT wrappers replace this to see through non-differentiable or random parts.
   */
  gradient(x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): tf.Tensor4D
  /** True when logits(x) changes from call to call (randomised defence → EOT). */
  randomised: boolean
  /** Non-differentiable parts (quantisation, gradient truncation…) that BPDA should replace by identity. */
  nonDifferentiable: boolean
  /**
   * Optional (added by the attacks library): logits and the input gradient of one forward pass, so
   * iterative attacks do not pay for a second forward. Attacks fall back to logits() + gradient().
   */
  logitsAndGradient?(x: tf.Tensor4D, loss: (logits: tf.Tensor2D) => tf.Scalar): { logits: tf.Tensor2D; gradient: tf.Tensor4D }
  /**
   * Optional: a differentiable stand-in for logits(x) that BPDA (withBpda) differentiates on the
   * backward pass — e.g. the model with its non-differentiable layer replaced by identity.
   */
  bpdaLogits?(x: tf.Tensor4D): tf.Tensor2D
}

export interface AttackParams {
  norm: Norm
  /** Perturbation budget in pixel units (8/255 means what the literature means). */
  epsilon: number
  seed: number
  /** Attack-specific settings (steps, stepSize, restarts, loss, queries, …): checked against the attack's declaration (api/attacks). */
  [setting: string]: unknown
}

export interface AttackResult {
  /** Adversarial images: always inside the ε-ball around x (in `norm`) and inside [0, 1]. */
  adversarial: tf.Tensor4D
  /** Minimal-perturbation attacks (FAB, C&W): the norm of the perturbation found per sample (Infinity if none). */
  perturbationNorms?: Float32Array
  /** Score-based attacks (Square): model queries used per sample. */
  queries?: Int32Array
  /** Optional (added by the attacks library): the settings actually used, defaults filled in. */
  budget?: Record<string, unknown>
  /** Optional: ensembles (AutoAttack) — each stage, its budget and how many points it broke. */
  stages?: AttackStage[]
}

/** One component run of an ensemble attack. */
export interface AttackStage {
  id: string
  budget: Record<string, unknown>
  /** Points still robust before and after this stage (of the whole batch). */
  robustBefore: number
  robustAfter: number
  seconds: number
}

export interface Attack {
  /** Short id used in configs and the CLI: fgsm, rfgsm, pgd, bim, apgd-ce, apgd-dlr, apgd-t, fab-t, square, cw-l2, autoattack … */
  id: string
  /** Paper and defaults, in a sentence, for the UI. */
  description: string
  norms: readonly Norm[]
  run(
    model: Classifier,
    x: tf.Tensor4D,
    y: tf.Tensor1D,
    params: AttackParams,
    progress?: (done: number, total: number) => void
  ): Promise<AttackResult>
}
