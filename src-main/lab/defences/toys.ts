/**
 * The gradient-masking toys: input layers that leave a model's accuracy almost untouched but hide
 * its gradient from a naive attacker. They exist to teach masking (the seed study's "Gradient Mask
 * Toy") and to test the masking diagnostics. Each declares what an adaptive attack needs to see
 * through it (Athalye, Carlini & Wagner 2018, "Obfuscated Gradients Give a False Sense of
 * Security"): BPDA replaces a non-differentiable or gradient-blocking part by the identity in the
 * backward pass; EOT averages gradients over the randomness of a randomised part.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import { seededRandom } from '../data/subsets'

export type ToyDefence = Extract<Defence, { kind: 'gradient-truncation' | 'quantisation' | 'random-resize' }>

export interface ToyLayer {
  defence: ToyDefence
  /** The layer as deployed: what a plain gradient attack differentiates through. */
  forward(x: tf.Tensor4D): tf.Tensor4D
  /** Same forward values; backward replaced by the identity (BPDA's straight-through estimate). */
  forwardBpda(x: tf.Tensor4D): tf.Tensor4D
  /** Outputs change from call to call: attacks need EOT. */
  randomised: boolean
  /** The plain backward pass is wrong (zero or scaled): attacks need BPDA. */
  nonDifferentiable: boolean
  /** One sentence for the UI: what an adaptive attack needs here. */
  seeThrough: string
}

export function isToyDefence(defence: Defence | undefined | null): defence is ToyDefence {
  return !!defence && (defence.kind === 'gradient-truncation' || defence.kind === 'quantisation' || defence.kind === 'random-resize')
}

/** Identity forward with a chosen backward: g ↦ scale·g (scale 0 blocks the gradient entirely). */
function withBackward(forward: (x: tf.Tensor4D) => tf.Tensor4D, scale: number | 'identity'): (x: tf.Tensor4D) => tf.Tensor4D {
  const op = tf.customGrad(((x: tf.Tensor) => ({
    value: forward(x as tf.Tensor4D),
    gradFunc: (dy: tf.Tensor) => (scale === 'identity' ? tf.clone(dy) : scale === 0 ? tf.zerosLike(dy) : tf.mul(dy, scale))
  })) as unknown as Parameters<typeof tf.customGrad>[0])
  return (x) => op(x) as tf.Tensor4D
}

export function createToyLayer(defence: ToyDefence, seed = 0): ToyLayer {
  switch (defence.kind) {
    case 'gradient-truncation': {
      const identity = (x: tf.Tensor4D) => tf.clone(x)
      return {
        defence,
        forward: withBackward(identity, defence.backwardScale),
        forwardBpda: withBackward(identity, 'identity'),
        randomised: false,
        nonDifferentiable: true,
        seeThrough:
          'BPDA: its backward pass is cut (×' + defence.backwardScale + '); replacing it by the identity restores the true gradient.'
      }
    }
    case 'quantisation': {
      const levels = defence.levels - 1
      const quantise = (x: tf.Tensor4D) => tf.tidy(() => tf.div(tf.round(tf.mul(tf.clipByValue(x, 0, 1), levels)), levels) as tf.Tensor4D)
      return {
        defence,
        forward: withBackward(quantise, 0),
        forwardBpda: withBackward(quantise, 'identity'),
        randomised: false,
        nonDifferentiable: true,
        seeThrough: `BPDA: rounding to ${defence.levels} levels has gradient 0 almost everywhere; the identity approximates it (x ≈ q(x)).`
      }
    }
    case 'random-resize': {
      const random = seededRandom(seed)
      const layer = (x: tf.Tensor4D) => randomResizeAndPad(x, defence.minScale, defence.noiseStd, random)
      return {
        defence,
        forward: layer,
        // Differentiable already: BPDA changes nothing, EOT is what sees through it.
        forwardBpda: layer,
        randomised: true,
        nonDifferentiable: false,
        seeThrough: 'EOT: each call resizes, shifts and adds noise at random; average gradients over many draws (AutoAttack rand: 20).'
      }
    }
  }
}

/**
 * Bilinear resampling of n source positions onto m (half-pixel centres, as align_corners=False),
 * as an m×n matrix, then placed at `offset` rows of a `size`-row canvas of zeros.
 */
export function resizePlacementMatrix(n: number, m: number, offset: number, size: number): Float32Array {
  const out = new Float32Array(size * n)
  for (let i = 0; i < m; i++) {
    const src = Math.min(Math.max(((i + 0.5) * n) / m - 0.5, 0), n - 1)
    const lo = Math.floor(src)
    const hi = Math.min(lo + 1, n - 1)
    const w = src - lo
    const row = (offset + i) * n
    out[row + lo] += 1 - w
    out[row + hi] += w
  }
  return out
}

/**
 * Xie et al. 2018 ("Mitigating adversarial effects through randomization"), adapted to a fixed input
 * size: shrink the image by a random scale in [minScale, 1], put it at a random position on a zero
 * canvas of the original size, add Gaussian noise. Written as two matrix products (rows, columns)
 * so its gradient exists on every backend.
 */
export function randomResizeAndPad(x: tf.Tensor4D, minScale: number, noiseStd: number, random: () => number): tf.Tensor4D {
  const [n, h, w, c] = x.shape
  const scale = minScale + (1 - minScale) * random()
  const nh = Math.max(1, Math.round(h * scale))
  const nw = Math.max(1, Math.round(w * scale))
  const oy = Math.floor(random() * (h - nh + 1))
  const ox = Math.floor(random() * (w - nw + 1))
  const noiseSeed = Math.floor(random() * 2 ** 31)
  return tf.tidy(() => {
    const rows = tf.tensor2d(resizePlacementMatrix(h, nh, oy, h), [h, h])
    const cols = tf.tensor2d(resizePlacementMatrix(w, nw, ox, w), [w, w])
    // [N,H,W,C] → [N·C·H, W] · colsᵀ → … → [N·C·W, H] · rowsᵀ → back to NHWC.
    const nchw = tf.transpose(x, [0, 3, 1, 2])
    const byCols = tf.matMul(tf.reshape(nchw, [n * c * h, w]), cols, false, true)
    const swapped = tf.transpose(tf.reshape(byCols, [n * c, h, w]), [0, 2, 1])
    const byRows = tf.matMul(tf.reshape(swapped, [n * c * w, h]), rows, false, true)
    const back = tf.transpose(tf.reshape(byRows, [n, c, w, h]), [0, 3, 2, 1]) as tf.Tensor4D
    if (noiseStd <= 0) return back
    return tf.clipByValue(tf.add(back, tf.randomNormal(back.shape, 0, noiseStd, 'float32', noiseSeed)), 0, 1) as tf.Tensor4D
  })
}
