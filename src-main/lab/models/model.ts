/**
 * createModel: a model as plain tensors + forward functions (no tfjs-layers).
 *
 * `params` (trainable, tf.Variable) and `buffers` (BatchNorm running statistics) are kept in
 * PyTorch state_dict order under PyTorch names, so checkpoints and weight import/export are a
 * name-by-name copy. The training loop differentiates w.r.t. `trainableVariables()`; attacks use
 * `forward(x)` (inference) with `inputGradient` from ./gradient.
 */
import * as tf from '@tensorflow/tfjs-core'
import { inputGradientFilter, inputGradientFilterStride } from '../engine/convGradients'
import { architectures, type LayerOps } from './architectures'
import {
  batchNormTrain,
  foldBatchNorm,
  inferenceConv,
  inferenceLinear,
  linear,
  normalise,
  type BatchNormState,
  type ConvPad,
  type InferenceConv,
  type InferenceLinear
} from './layers'
import type { TensorDef } from './params'
import { normaliseSpec, type ModelSpec } from './spec'
import { uniformValues } from './random'

export interface NamedTensor {
  name: string
  tensor: tf.Variable
  def: TensorDef
}

export interface ForwardOptions {
  /** BatchNorm on batch statistics (and running-stat updates). Default false: inference. */
  training?: boolean
}

export interface Model {
  readonly spec: ModelSpec
  /** Trainable tensors in state_dict order. */
  readonly params: NamedTensor[]
  /** Non-trainable tensors (BatchNorm running_mean / running_var / num_batches_tracked). */
  readonly buffers: NamedTensor[]
  /** Every tensor in state_dict order (params and buffers interleaved as PyTorch lists them). */
  readonly tensors: NamedTensor[]
  /** x: float32 [N, H, W, C] in [0, 1]. Returns logits [N, classes]. */
  forward(x: tf.Tensor4D, options?: ForwardOptions): tf.Tensor2D
  trainableVariables(): tf.Variable[]
  get(name: string): tf.Variable
  paramCount(): number
  dispose(): void
}

export type CreateModelOptions = Partial<ModelSpec> & Pick<ModelSpec, 'arch' | 'inputShape' | 'numClasses'>

let modelCounter = 0

/** Builds a model with seeded PyTorch-style initial weights. */
export function createModel(options: CreateModelOptions): Model {
  const spec = normaliseSpec(options)
  const arch = architectures[spec.arch]
  const defs = arch.tensors(spec)
  const id = ++modelCounter
  const tensors: NamedTensor[] = defs.map((def) => {
    const size = def.shape.reduce((a, b) => a * b, 1)
    const values =
      'uniformFanIn' in def.init
        ? uniformValues(size, 1 / Math.sqrt(def.init.uniformFanIn), spec.seed, def.name)
        : new Float32Array(size).fill(def.init.constant)
    const tensor = tf.variable(tf.tensor(values, def.shape, 'float32'), def.trainable, `advlab-m${id}/${def.name}`)
    return { name: def.name, tensor, def }
  })
  const byName = new Map(tensors.map((t) => [t.name, t.tensor]))
  const get = (name: string): tf.Variable => {
    const t = byName.get(name)
    if (!t) throw new Error(`model ${spec.arch} has no tensor "${name}"`)
    return t
  }
  const [normScale, normShift] = tf.tidy(() => {
    const scale = spec.std.map((s) => 1 / s)
    return [tf.keep(tf.tensor1d(scale)), tf.keep(tf.tensor1d(spec.mean.map((m, i) => -m * scale[i])))]
  })
  const bnState = (bn: string): BatchNormState => ({
    weight: get(`${bn}.weight`) as tf.Tensor as tf.Tensor1D,
    bias: get(`${bn}.bias`) as tf.Tensor as tf.Tensor1D,
    runningMean: get(`${bn}.running_mean`),
    runningVar: get(`${bn}.running_var`),
    numBatchesTracked: get(`${bn}.num_batches_tracked`)
  })

  const trainingOps: LayerOps = {
    convBn: (x, conv, bn, strides, pad, relu) => {
      return batchNormTrain(tf.conv2d(x, get(`${conv}.weight`) as tf.Tensor as tf.Tensor4D, strides, pad as 'same'), bnState(bn), relu)
    },
    convBias: (x, conv, strides, pad, relu) =>
      tf.fused.conv2d({
        x,
        filter: get(`${conv}.weight`) as tf.Tensor as tf.Tensor4D,
        bias: get(`${conv}.bias`),
        strides,
        pad: pad as 'same',
        activation: relu ? 'relu' : 'linear'
      }),
    linear: (x, name, relu) =>
      linear(x, get(`${name}.weight`) as tf.Tensor as tf.Tensor2D, get(`${name}.bias`) as tf.Tensor as tf.Tensor1D, relu)
  }

  // Inference convs (BatchNorm folded, cached gradient filters) are rebuilt whenever any weight
  // or buffer changed — a Variable's dataId changes on every assign.
  const cache = new Map<string, InferenceConv>()
  let cacheKey: object[] = []
  let cacheBackend = ''
  const cacheValid = (): boolean =>
    cacheBackend === tf.getBackend() && cacheKey.length === tensors.length && tensors.every((t, i) => t.tensor.dataId === cacheKey[i])
  const linearCache = new Map<string, InferenceLinear>()
  const clearCache = (): void => {
    for (const c of cache.values()) tf.dispose([c.filter, c.bias, ...(c.gradFilter ? [c.gradFilter] : [])])
    for (const l of linearCache.values()) tf.dispose(l.weightT)
    cache.clear()
    linearCache.clear()
  }
  const linearFor = (name: string, relu: boolean): InferenceLinear => {
    let l = linearCache.get(name)
    if (!l) {
      const weight = get(`${name}.weight`) as tf.Tensor as tf.Tensor2D
      l = { weight, bias: get(`${name}.bias`) as tf.Tensor as tf.Tensor1D, weightT: tf.keep(tf.transpose(weight)), relu }
      linearCache.set(name, l)
    }
    return l
  }
  const inferenceFor = (
    key: string,
    build: () => { filter: tf.Tensor4D; bias: tf.Tensor1D },
    strides: number,
    pad: ConvPad,
    relu: boolean
  ): InferenceConv => {
    let c = cache.get(key)
    if (!c) {
      const { filter, bias } = tf.tidy(() => {
        const r = build()
        return { filter: tf.keep(r.filter), bias: tf.keep(r.bias) }
      })
      // The custom input-only gradient pays off where the backend's own conv gradients are ours.
      const gradFilter =
        tf.getBackend() === 'wasm'
          ? tf.keep(inputGradientFilter(filter, inputGradientFilterStride(filter.shape[0], filter.shape[1], strides)))
          : null
      c = { filter, bias, strides, pad, relu, gradFilter }
      cache.set(key, c)
    }
    return c
  }
  const inferenceOps: LayerOps = {
    convBn: (x, conv, bn, strides, pad, relu) =>
      inferenceConv(
        x,
        inferenceFor(conv, () => foldBatchNorm(get(`${conv}.weight`) as tf.Tensor as tf.Tensor4D, null, bnState(bn)), strides, pad, relu)
      ),
    convBias: (x, conv, strides, pad, relu) =>
      inferenceConv(
        x,
        inferenceFor(
          conv,
          () => ({ filter: tf.clone(get(`${conv}.weight`)) as tf.Tensor4D, bias: tf.clone(get(`${conv}.bias`)) as tf.Tensor1D }),
          strides,
          pad,
          relu
        )
      ),
    linear: (x, name, relu) => inferenceLinear(x, linearFor(name, relu))
  }

  let disposed = false
  const model: Model = {
    spec,
    params: tensors.filter((t) => t.def.trainable),
    buffers: tensors.filter((t) => !t.def.trainable),
    tensors,
    forward(x, options = {}) {
      if (disposed) throw new Error('model was disposed')
      const [, h, w, c] = x.shape
      const [eh, ew, ec] = spec.inputShape
      if (h !== eh || w !== ew || c !== ec) throw new Error(`model expects input [N, ${eh}, ${ew}, ${ec}], got [${x.shape.join(', ')}]`)
      if (!options.training && !cacheValid()) {
        clearCache()
        cacheKey = tensors.map((t) => t.tensor.dataId)
        cacheBackend = tf.getBackend()
      }
      return tf.tidy(() => arch.forward(normalise(x, normScale, normShift), options.training ? trainingOps : inferenceOps, spec))
    },
    trainableVariables: () => tensors.filter((t) => t.def.trainable).map((t) => t.tensor),
    get,
    paramCount: () => tensors.filter((t) => t.def.trainable).reduce((n, t) => n + t.tensor.size, 0),
    dispose() {
      if (disposed) return
      disposed = true
      clearCache()
      tf.dispose([normScale, normShift, ...tensors.map((t) => t.tensor)])
    }
  }
  return model
}

/** Trainable parameter count of an architecture without building it. */
export function paramCount(options: CreateModelOptions): number {
  const spec = normaliseSpec(options)
  return architectures[spec.arch]
    .tensors(spec)
    .filter((d) => d.trainable)
    .reduce((n, d) => n + d.shape.reduce((a, b) => a * b, 1), 0)
}
