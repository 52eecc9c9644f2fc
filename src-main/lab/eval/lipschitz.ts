/**
 * A global upper bound on the Lipschitz constant of the logits, as the product of the layers'
 * operator norms (Szegedy et al. 2014, "Intriguing properties of neural networks", §4.3): ReLU and
 * non-overlapping max-pool are 1-Lipschitz, affine layers contribute the norm of their matrix.
 *  - L2: the spectral norm, by power iteration on WᵀW (for a conv, conv then its adjoint, the
 *    transposed conv, on a feature map of the layer's real input size).
 *  - L∞: the induced ∞-norm, exactly: the largest absolute row sum (for a conv, per output channel
 *    the sum of |w| over its kernel, exact away from the border and an upper bound at it).
 * Power iteration converges from below; `iterations` is recorded with the result.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { SequentialLayer } from './sequential'

export interface LayerNorm {
  layer: string
  L2: number
  Linf: number
}

export interface GlobalLipschitz {
  L2: number
  Linf: number
  layers: LayerNorm[]
  iterations: number
}

export function globalLipschitz(
  layers: SequentialLayer[],
  inputShape: [number, number, number],
  iterations = 50,
  seed = 0
): GlobalLipschitz {
  let shape: number[] = [...inputShape]
  const norms: LayerNorm[] = []
  for (const layer of layers) {
    switch (layer.kind) {
      case 'normalise': {
        const m = Math.max(...layer.scale.map(Math.abs))
        norms.push({ layer: 'normalise', L2: m, Linf: m })
        break
      }
      case 'conv': {
        const [kh, kw, cin, cout] = layer.shape
        let linf = 0
        for (let o = 0; o < cout; o++) {
          let s = 0
          for (let i = 0; i < kh * kw * cin; i++) s += Math.abs(layer.filter[i * cout + o])
          linf = Math.max(linf, s)
        }
        const spatial: [number, number, number] = [shape[0], shape[1], cin]
        const l2 = tf.tidy(() => {
          const w = tf.tensor4d(layer.filter, layer.shape)
          const outShape: [number, number, number, number] = [1, spatial[0], spatial[1], cin]
          return powerIteration(
            (v) => tf.conv2dTranspose(tf.conv2d(v as tf.Tensor4D, w, 1, 'same'), w, outShape, 1, 'same'),
            [1, ...spatial],
            iterations,
            seed
          )
        })
        norms.push({ layer: layer.name, L2: l2, Linf: linf })
        shape = [shape[0], shape[1], cout]
        break
      }
      case 'maxpool':
        shape = [Math.floor(shape[0] / layer.size), Math.floor(shape[1] / layer.size), shape[2]]
        break
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)]
        break
      case 'linear': {
        let linf = 0
        for (let o = 0; o < layer.outputs; o++) {
          let s = 0
          for (let i = 0; i < layer.inputs; i++) s += Math.abs(layer.weight[i * layer.outputs + o])
          linf = Math.max(linf, s)
        }
        const l2 = tf.tidy(() => {
          const w = tf.tensor2d(layer.weight, [layer.inputs, layer.outputs])
          return powerIteration((v) => tf.matMul(tf.matMul(v as tf.Tensor2D, w), w, false, true), [1, layer.inputs], iterations, seed)
        })
        norms.push({ layer: layer.name, L2: l2, Linf: linf })
        shape = [layer.outputs]
        break
      }
    }
  }
  return {
    L2: norms.reduce((p, l) => p * l.L2, 1),
    Linf: norms.reduce((p, l) => p * l.Linf, 1),
    layers: norms,
    iterations
  }
}

/** √(largest eigenvalue) of the positive semi-definite map `gram` (= AᵀA), i.e. ‖A‖₂. */
export function powerIteration(gram: (v: tf.Tensor) => tf.Tensor, shape: number[], iterations: number, seed: number): number {
  let v: tf.Tensor = tf.randomNormal(shape, 0, 1, 'float32', seed)
  v = tf.div(v, tf.norm(v))
  let eigen = 0
  for (let i = 0; i < iterations; i++) {
    const next = gram(v)
    eigen = tf.norm(next).dataSync()[0]
    if (eigen === 0) return 0
    v = tf.div(next, eigen)
  }
  return Math.sqrt(eigen)
}
