/**
 * Certified accuracy by Interval Bound Propagation (Gowal et al. 2018, "On the Effectiveness of
 * Interval Bound Propagation for Training Verifiably Robust Models"): the L∞ ball around x, clipped
 * to [0, 1], is pushed through the network as a box (centre μ, radius r): an affine layer maps it to
 * (Wμ + b, |W|r), ReLU and max-pool are monotone and act on both ends. A point is certified when
 * the lower bound of every margin z_y − z_j (the last layer applied to the margin directly, which is
 * tighter than subtracting two boxes) is > 0: no perturbation in the ball can change its class.
 * Sound for sequential models without BatchNorm (mlp, cnn-small); see sequential.ts.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { SequentialLayer } from './sequential'

export interface IbpResult {
  epsilon: number
  /** Per sample: 1 when certified robust at ε. */
  certified: Uint8Array
  certifiedAccuracy: number
  /** Per sample: the lower bound of min_j (z_y − z_j); > 0 means certified. */
  marginLowerBounds: Float32Array
}

export function certifyIbp(
  layers: SequentialLayer[],
  images: Float32Array,
  labels: Int32Array,
  shape: [number, number, number],
  epsilon: number,
  batchSize = 256
): IbpResult {
  const n = labels.length
  const size = shape[0] * shape[1] * shape[2]
  const bounds = new Float32Array(n)
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize)
    const lows = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...shape])
      return marginLowerBound(layers, x, labels.subarray(start, end), epsilon).dataSync() as Float32Array
    })
    bounds.set(lows, start)
  }
  const certified = Uint8Array.from(bounds, (b) => (b > 0 ? 1 : 0))
  return { epsilon, certified, certifiedAccuracy: n ? certified.reduce((a, b) => a + b, 0) / n : 0, marginLowerBounds: bounds }
}

function marginLowerBound(layers: SequentialLayer[], x: tf.Tensor4D, labels: Int32Array, epsilon: number): tf.Tensor1D {
  const lower = tf.clipByValue(tf.sub(x, epsilon), 0, 1)
  const upper = tf.clipByValue(tf.add(x, epsilon), 0, 1)
  let mid: tf.Tensor = tf.div(tf.add(lower, upper), 2)
  let rad: tf.Tensor = tf.div(tf.sub(upper, lower), 2)
  const last = layers[layers.length - 1]
  if (last.kind !== 'linear') throw new Error('IBP needs a model that ends in a linear layer')
  for (const layer of layers.slice(0, -1)) {
    switch (layer.kind) {
      case 'normalise':
        mid = tf.add(tf.mul(mid, layer.scale), layer.shift)
        rad = tf.mul(rad, layer.scale.map(Math.abs))
        break
      case 'conv': {
        const w = tf.tensor4d(layer.filter, layer.shape)
        mid = tf.add(tf.conv2d(mid as tf.Tensor4D, w, 1, 'same'), tf.tensor1d(layer.bias))
        rad = tf.conv2d(rad as tf.Tensor4D, tf.abs(w), 1, 'same')
        if (layer.relu) [mid, rad] = reluBox(mid, rad)
        break
      }
      case 'maxpool': {
        const lo = tf.maxPool(tf.sub(mid, rad) as tf.Tensor4D, layer.size, layer.size, 'valid')
        const hi = tf.maxPool(tf.add(mid, rad) as tf.Tensor4D, layer.size, layer.size, 'valid')
        mid = tf.div(tf.add(lo, hi), 2)
        rad = tf.div(tf.sub(hi, lo), 2)
        break
      }
      case 'flatten':
        mid = tf.reshape(mid, [mid.shape[0], -1])
        rad = tf.reshape(rad, [rad.shape[0], -1])
        break
      case 'linear': {
        const w = tf.tensor2d(layer.weight, [layer.inputs, layer.outputs])
        mid = tf.add(tf.matMul(mid as tf.Tensor2D, w), tf.tensor1d(layer.bias))
        rad = tf.matMul(rad as tf.Tensor2D, tf.abs(w))
        if (layer.relu) [mid, rad] = reluBox(mid, rad)
        break
      }
    }
  }
  // Margins z_y − z_j through the last layer: (W_y − W_j)·μ + (b_y − b_j) − |W_y − W_j|·r.
  const k = last.outputs
  const w = tf.tensor2d(last.weight, [last.inputs, last.outputs])
  const b = tf.tensor1d(last.bias)
  const logitsMid = tf.add(tf.matMul(mid as tf.Tensor2D, w), b) as tf.Tensor2D
  const y = tf.tensor1d(labels, 'int32')
  const onehot = tf.oneHot(y, k)
  const own = tf.sum(tf.mul(logitsMid, onehot), 1, true)
  const centre = tf.sub(own, logitsMid) // [N, K]
  let spread: tf.Tensor = tf.zerosLike(centre)
  for (let c = 0; c < k; c++) {
    const diff = tf.abs(tf.sub(tf.slice(w, [0, c], [-1, 1]), w)) // [in, K]
    const forClass = tf.matMul(rad as tf.Tensor2D, diff)
    const mask = tf.expandDims(tf.cast(tf.equal(y, c), 'float32'), 1)
    spread = tf.add(spread, tf.mul(forClass, mask))
  }
  const lowerMargins = tf.sub(centre, spread)
  // The own class's margin is 0 by definition: exclude it from the minimum.
  return tf.min(tf.add(lowerMargins, tf.mul(onehot, 1e30)), 1) as tf.Tensor1D
}

function reluBox(mid: tf.Tensor, rad: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const lo = tf.relu(tf.sub(mid, rad))
  const hi = tf.relu(tf.add(mid, rad))
  return [tf.div(tf.add(lo, hi), 2), tf.div(tf.sub(hi, lo), 2)]
}
