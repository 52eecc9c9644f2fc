/**
 * The built-in architectures as parameter tables plus forward functions.
 *
 * - mlp: flatten → 512w → ReLU → 256w → ReLU → classes.
 * - cnn-small: [conv3×3 32w → ReLU → maxpool2] → [conv3×3 64w → ReLU → maxpool2] → 128w → ReLU → classes.
 * - resnet18: the CIFAR ResNet-18 of kuangliu/pytorch-cifar (He et al. 2016, "Deep Residual
 *   Learning"): 3×3 stem conv stride 1, no max-pool, BasicBlocks [2, 2, 2, 2] of 64w…512w,
 *   1×1 conv + BN shortcuts where the shape changes, global average pool, linear.
 * bench/reference/models.py holds the identical PyTorch modules.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { ModelSpec } from './spec'
import { scaled } from './spec'
import { batchNormDefs, convDefs, linearDefs, type TensorDef } from './params'
import { torchPadding, type ConvPad } from './layers'

/** What a forward function can ask of the model it runs in. */
export interface LayerOps {
  /** conv (no bias) + BatchNorm (+ ReLU); training or inference path chosen by the model. */
  convBn(x: tf.Tensor4D, conv: string, bn: string, strides: number, pad: ConvPad, relu: boolean): tf.Tensor4D
  /** conv + bias (+ ReLU). */
  convBias(x: tf.Tensor4D, conv: string, strides: number, pad: ConvPad, relu: boolean): tf.Tensor4D
  linear(x: tf.Tensor2D, name: string, relu: boolean): tf.Tensor2D
}

export interface Architecture {
  tensors(spec: ModelSpec): TensorDef[]
  /** x is already normalised. Returns logits. */
  forward(x: tf.Tensor4D, ops: LayerOps, spec: ModelSpec): tf.Tensor2D
}

const mlp: Architecture = {
  tensors(spec) {
    const [h, w, c] = spec.inputShape
    const h1 = scaled(512, spec.width)
    const h2 = scaled(256, spec.width)
    return [...linearDefs('fc1', h * w * c, h1, [h, w, c]), ...linearDefs('fc2', h1, h2), ...linearDefs('fc3', h2, spec.numClasses)]
  },
  forward(x, ops) {
    const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D
    return ops.linear(ops.linear(ops.linear(flat, 'fc1', true), 'fc2', true), 'fc3', false)
  }
}

function cnnSmallSizes(spec: ModelSpec): { c1: number; c2: number; hidden: number; flat: [number, number, number] } {
  const [h, w] = spec.inputShape
  const c1 = scaled(32, spec.width)
  const c2 = scaled(64, spec.width)
  const pooled = (n: number): number => Math.floor(Math.floor(n / 2) / 2)
  return { c1, c2, hidden: scaled(128, spec.width), flat: [pooled(h), pooled(w), c2] }
}

const cnnSmall: Architecture = {
  tensors(spec) {
    const { c1, c2, hidden, flat } = cnnSmallSizes(spec)
    return [
      ...convDefs('conv1', 3, spec.inputShape[2], c1, true),
      ...convDefs('conv2', 3, c1, c2, true),
      ...linearDefs('fc1', flat[0] * flat[1] * flat[2], hidden, flat),
      ...linearDefs('fc2', hidden, spec.numClasses)
    ]
  },
  forward(x, ops) {
    let t = ops.convBias(x, 'conv1', 1, 'same', true)
    t = tf.maxPool(t, 2, 2, 'valid')
    t = ops.convBias(t, 'conv2', 1, 'same', true)
    t = tf.maxPool(t, 2, 2, 'valid')
    const flat = tf.reshape(t, [t.shape[0], -1]) as tf.Tensor2D
    return ops.linear(ops.linear(flat, 'fc1', true), 'fc2', false)
  }
}

interface BlockPlan {
  prefix: string
  cin: number
  planes: number
  stride: number
  shortcut: boolean
}

function resnetPlan(spec: ModelSpec): { stem: number; blocks: BlockPlan[]; final: number } {
  const stem = scaled(64, spec.width)
  const blocks: BlockPlan[] = []
  let cin = stem
  ;[64, 128, 256, 512].forEach((base, li) => {
    const planes = scaled(base, spec.width)
    for (let b = 0; b < 2; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1
      blocks.push({ prefix: `layer${li + 1}.${b}`, cin, planes, stride, shortcut: stride !== 1 || cin !== planes })
      cin = planes
    }
  })
  return { stem, blocks, final: cin }
}

const resnet18: Architecture = {
  tensors(spec) {
    const { stem, blocks, final } = resnetPlan(spec)
    const defs = [...convDefs('conv1', 3, spec.inputShape[2], stem, false), ...batchNormDefs('bn1', stem)]
    for (const b of blocks) {
      defs.push(...convDefs(`${b.prefix}.conv1`, 3, b.cin, b.planes, false), ...batchNormDefs(`${b.prefix}.bn1`, b.planes))
      defs.push(...convDefs(`${b.prefix}.conv2`, 3, b.planes, b.planes, false), ...batchNormDefs(`${b.prefix}.bn2`, b.planes))
      if (b.shortcut)
        defs.push(...convDefs(`${b.prefix}.shortcut.0`, 1, b.cin, b.planes, false), ...batchNormDefs(`${b.prefix}.shortcut.1`, b.planes))
    }
    defs.push(...linearDefs('linear', final, spec.numClasses))
    return defs
  },
  forward(x, ops, spec) {
    const { blocks } = resnetPlan(spec)
    const p1 = torchPadding(1)
    let t = ops.convBn(x, 'conv1', 'bn1', 1, p1, true)
    for (const b of blocks) {
      const out = ops.convBn(t, `${b.prefix}.conv1`, `${b.prefix}.bn1`, b.stride, p1, true)
      const out2 = ops.convBn(out, `${b.prefix}.conv2`, `${b.prefix}.bn2`, 1, p1, false)
      const short = b.shortcut ? ops.convBn(t, `${b.prefix}.shortcut.0`, `${b.prefix}.shortcut.1`, b.stride, 'valid', false) : t
      t = tf.relu(tf.add(out2, short)) as tf.Tensor4D
    }
    // Global average pool: F.avg_pool2d(out, 4) of the reference on its 4×4 map for 32×32 input.
    const pooled = tf.mean(t, [1, 2]) as tf.Tensor2D
    return ops.linear(pooled, 'linear', false)
  }
}

export const architectures: Record<ModelSpec['arch'], Architecture> = { mlp, 'cnn-small': cnnSmall, resnet18 }
