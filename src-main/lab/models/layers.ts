/**
 * The few layer functions the built-in architectures are made of, over explicit tensors.
 *
 * Two paths per layer: training (plain differentiable ops, gradients for every weight) and
 * inference (BatchNorm folded into the conv, one fused conv+bias+ReLU kernel, and — on wasm — a
 * custom gradient that computes only dL/dinput, so attacks never pay for weight gradients).
 */
import * as tf from '@tensorflow/tfjs-core'
import { conv2dInputGradient } from '../engine/convGradients'

export type ConvPad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]

/** PyTorch's `padding=p`: p zeros on every side (differs from TF 'same' for stride 2). */
export function torchPadding(p: number): ConvPad {
  return p === 0
    ? 'valid'
    : [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0]
      ]
}

export const BN_EPS = 1e-5
export const BN_MOMENTUM = 0.1

export interface BatchNormState {
  weight: tf.Tensor1D
  bias: tf.Tensor1D
  runningMean: tf.Variable
  runningVar: tf.Variable
  numBatchesTracked: tf.Variable
}

/**
 * BatchNorm in training mode (Ioffe & Szegedy 2015), optionally followed by ReLU, as one op with a
 * hand-written backward pass: normalise with the batch's biased variance and update the running
 * estimates as PyTorch does (momentum 0.1, *unbiased* variance). The tape keeps only the input
 * and the output (autodiff through the moments would keep about six full-size tensors and run
 * twice as many kernels).
 *
 * Backward, per channel with N = batch·H·W, x̂ = (x − μ)·σ⁻¹, g = dL/dy (masked by ReLU):
 *   dβ = Σg,  dγ = Σ g·x̂,  dx = γσ⁻¹ · (g − dβ/N − x̂·dγ/N)
 * evaluated as dx = a·g + k₁·x + k₀ with per-channel a = γσ⁻¹, k₁ = −a·σ⁻¹·dγ/N,
 * k₀ = −a·dβ/N − k₁·μ.
 */
export function batchNormTrain(x: tf.Tensor4D, bn: BatchNormState, relu = false): tf.Tensor4D {
  const n = x.shape[0] * x.shape[1] * x.shape[2]
  const op = tf.customGrad(((input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
    const { mean, variance } = tf.moments(input, [0, 1, 2])
    const invStd = tf.rsqrt(tf.add(variance, BN_EPS))
    // The running estimates are not on the loss's path.
    tf.tidy(() => {
      bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)))
      bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - BN_MOMENTUM), tf.mul(variance, (BN_MOMENTUM * n) / Math.max(n - 1, 1))))
      bn.numBatchesTracked.assign(tf.add(bn.numBatchesTracked, 1))
    })
    const scale = tf.mul(invStd, gamma)
    const shift = tf.sub(beta, tf.mul(mean, scale))
    const normed = tf.add(tf.mul(input, scale), shift)
    const y = relu ? tf.relu(normed) : normed
    save([input, y, mean, invStd, gamma])
    return {
      value: y,
      // tfjs keeps whatever a custom gradient creates until the whole backward pass ends; the
      // tidy frees the full-size temporaries now.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, ys, mu, inv, gam] = saved
          const g = relu ? tf.mul(dy, tf.step(ys)) : dy
          const dBeta = tf.sum(g, [0, 1, 2])
          // Σ g·x̂ = σ⁻¹·(Σ g·x − μ·Σg)
          const dGamma = tf.mul(inv, tf.sub(tf.sum(tf.mul(g, xs), [0, 1, 2]), tf.mul(mu, dBeta)))
          const a = tf.mul(gam, inv)
          const k1 = tf.neg(tf.mul(tf.mul(a, inv), tf.div(dGamma, n)))
          const k0 = tf.sub(tf.neg(tf.mul(a, tf.div(dBeta, n))), tf.mul(k1, mu))
          const dx = tf.add(tf.add(tf.mul(g, a), tf.mul(xs, k1)), k0)
          return [dx, dGamma, dBeta]
        })
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return op(x, bn.weight, bn.bias) as tf.Tensor4D
}

/** Conv weights and bias with an inference BatchNorm folded in: w·γ/σ, β − μ·γ/σ (+ b·γ/σ). */
export function foldBatchNorm(
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  bn: BatchNormState
): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const scale = tf.mul(bn.weight, tf.rsqrt(tf.add(bn.runningVar, BN_EPS)))
    const shift = tf.sub(bn.bias, tf.mul(bn.runningMean, scale))
    return {
      filter: tf.mul(filter, scale) as tf.Tensor4D,
      bias: (bias ? tf.add(tf.mul(bias, scale), shift) : shift) as tf.Tensor1D
    }
  })
}

export interface InferenceConv {
  filter: tf.Tensor4D
  bias: tf.Tensor1D
  strides: number
  pad: ConvPad
  relu: boolean
  /** Cached filter for the input gradient (engine/convGradients), when the backend is wasm. */
  gradFilter: tf.Tensor4D | null
}

/**
 * conv + bias (+ ReLU) in one fused kernel, whose gradient is dL/dx only (the weights are
 * constants here): through the cached sub-pixel filter where `gradFilter` is set (wasm), through
 * the backend's own transposed convolution elsewhere.
 */
export function inferenceConv(x: tf.Tensor4D, c: InferenceConv): tf.Tensor4D {
  const forward = (input: tf.Tensor4D): tf.Tensor4D =>
    tf.fused.conv2d({
      x: input,
      filter: c.filter,
      bias: c.bias,
      strides: c.strides,
      pad: c.pad as 'same',
      activation: c.relu ? 'relu' : 'linear'
    })
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = forward(input as tf.Tensor4D)
    if (c.relu) save([y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const g = (c.relu ? tf.mul(dy, tf.step(saved[0])) : dy) as tf.Tensor4D
          const shape = input.shape as [number, number, number, number]
          return c.gradFilter
            ? conv2dInputGradient(shape, g, c.filter, c.strides, c.pad as 'same', undefined, c.gradFilter)
            : tf.conv2dTranspose(g, c.filter, shape, c.strides, c.pad as 'same')
        })
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return op(x) as tf.Tensor4D
}

/** (x − mean) / std per channel, as a multiply-add with constants. */
export function normalise(x: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor4D {
  return tf.add(tf.mul(x, scale), shift)
}

export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const y = tf.add(tf.matMul(x, weight), bias) as tf.Tensor2D
  return relu ? tf.relu(y) : y
}

export interface InferenceLinear {
  weight: tf.Tensor2D
  bias: tf.Tensor1D
  /** weight transposed once, for dL/dx = dy·Wᵀ as a plain (fast on wasm) matMul. */
  weightT: tf.Tensor2D
  relu: boolean
}

/** Linear layer whose gradient is dL/dx only (weights are constants on the inference path). */
export function inferenceLinear(x: tf.Tensor2D, l: InferenceLinear): tf.Tensor2D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const pre = tf.add(tf.matMul(input as tf.Tensor2D, l.weight), l.bias)
    const y = l.relu ? tf.relu(pre) : pre
    if (l.relu) save([y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => tf.matMul(l.relu ? tf.mul(dy, tf.step(saved[0])) : dy, l.weightT))
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0])
  return op(x) as tf.Tensor2D
}
