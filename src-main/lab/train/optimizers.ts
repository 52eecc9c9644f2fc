/**
 * SGD (momentum, Nesterov, weight decay) and Adam, with PyTorch's update rules so that
 * hyper-parameters carry over from papers and scripts unchanged. Their state is a list of named
 * tensors, saved in checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { TrainConfig } from '../../api/train'

export interface Optimizer {
  /** Applies one update with these gradients (one per variable, same order) at this learning rate. */
  apply(grads: tf.Tensor[], lr: number): void
  /** Named state tensors for checkpoints. */
  state(): Map<string, tf.Tensor>
  loadState(state: Map<string, Float32Array>): void
  dispose(): void
}

export function createOptimizer(config: TrainConfig['optimizer'], variables: tf.Variable[]): Optimizer {
  return config.kind === 'sgd' ? new Sgd(config, variables) : new Adam(config, variables)
}

type SgdConfig = Extract<TrainConfig['optimizer'], { kind: 'sgd' }>
type AdamConfig = Extract<TrainConfig['optimizer'], { kind: 'adam' }>

/** torch.optim.SGD: g ← g + wd·w; b ← μ·b + g; step = nesterov ? g + μ·b : b; w ← w − lr·step. */
class Sgd implements Optimizer {
  private readonly buffers: tf.Variable[]
  private started = false

  constructor(
    private readonly config: SgdConfig,
    private readonly variables: tf.Variable[]
  ) {
    this.buffers = variables.map((v) => tf.variable(tf.zerosLike(v), false))
  }

  apply(grads: tf.Tensor[], lr: number): void {
    const { momentum, nesterov, weightDecay } = this.config
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        let g = grads[i]
        if (weightDecay > 0) g = tf.add(g, tf.mul(w, weightDecay))
        let update = g
        if (momentum > 0) {
          // PyTorch starts the buffer at the first gradient rather than at zero.
          const buffer = this.started ? tf.add(tf.mul(this.buffers[i], momentum), g) : g
          this.buffers[i].assign(buffer)
          update = nesterov ? tf.add(g, tf.mul(buffer, momentum)) : buffer
        }
        w.assign(tf.sub(w, tf.mul(update, lr)))
      })
    })
    this.started = true
  }

  state(): Map<string, tf.Tensor> {
    const state = new Map<string, tf.Tensor>(this.buffers.map((b, i) => [`sgd.momentum.${i}`, b]))
    state.set('sgd.started', tf.scalar(this.started ? 1 : 0))
    return state
  }

  loadState(state: Map<string, Float32Array>): void {
    this.buffers.forEach((b, i) => {
      const values = state.get(`sgd.momentum.${i}`)
      if (values) b.assign(tf.tensor(values, b.shape))
    })
    this.started = (state.get('sgd.started')?.[0] ?? 0) === 1
  }

  dispose(): void {
    this.buffers.forEach((b) => b.dispose())
  }
}

/** torch.optim.Adam (L2 weight decay added to the gradient, bias-corrected moments). */
class Adam implements Optimizer {
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]
  private t = 0

  constructor(
    private readonly config: AdamConfig,
    private readonly variables: tf.Variable[]
  ) {
    this.m = variables.map((w) => tf.variable(tf.zerosLike(w), false))
    this.v = variables.map((w) => tf.variable(tf.zerosLike(w), false))
  }

  apply(grads: tf.Tensor[], lr: number): void {
    const { beta1, beta2, weightDecay } = this.config
    this.t += 1
    const c1 = 1 - beta1 ** this.t
    const c2 = 1 - beta2 ** this.t
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        const g = weightDecay > 0 ? tf.add(grads[i], tf.mul(w, weightDecay)) : grads[i]
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2))
        this.m[i].assign(m)
        this.v[i].assign(v)
        const denominator = tf.add(tf.sqrt(tf.div(v, c2)), 1e-8)
        w.assign(tf.sub(w, tf.mul(tf.div(tf.div(m, c1), denominator), lr)))
      })
    })
  }

  state(): Map<string, tf.Tensor> {
    const state = new Map<string, tf.Tensor>()
    this.m.forEach((m, i) => state.set(`adam.m.${i}`, m))
    this.v.forEach((v, i) => state.set(`adam.v.${i}`, v))
    state.set('adam.t', tf.scalar(this.t))
    return state
  }

  loadState(state: Map<string, Float32Array>): void {
    this.m.forEach((m, i) => {
      const values = state.get(`adam.m.${i}`)
      if (values) m.assign(tf.tensor(values, m.shape))
    })
    this.v.forEach((v, i) => {
      const values = state.get(`adam.v.${i}`)
      if (values) v.assign(tf.tensor(values, v.shape))
    })
    this.t = state.get('adam.t')?.[0] ?? 0
  }

  dispose(): void {
    ;[...this.m, ...this.v].forEach((t) => t.dispose())
  }
}
