/**
 * Primitives whose results attacks depend on bit for bit, made exact on every backend.
 *
 * tfjs-wasm's `Sign` kernel is thresholded: it returns 0 for |x| below about 1.19e-7 (measured:
 * sign(1e-7) = 0, sign(1.2e-7) = 1). An attack that steps along sign(∇) then leaves every pixel
 * whose gradient component is that small where it was — on a temperature-scaled (distilled)
 * model that is most of the image, and AdvLab overstated such models' robustness severalfold.
 * Comparisons are exact on every backend (checked down to float32 subnormals), so the sign is
 * built from them. `registerExactKernels` also replaces the wasm `Sign` kernel itself, so no other
 * caller of tf.sign (gradients of Abs, adversarial training) can meet the threshold.
 */
import * as tf from '@tensorflow/tfjs-core'
import { heapOf } from './heap'

/** sign(x) ∈ {−1, 0, 1} from two comparisons: exact for every non-zero float32, subnormals included. */
export function exactSign<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32')) as T)
}

/**
 * g / ‖g‖₂ per sample ([N, …]) for any non-zero g, however small. Squaring components below ~1e-19
 * underflows float32, so ‖g‖₂ of a tiny gradient reads 0 (or a subnormal) and g/max(‖g‖, 1e-12)
 * is not a unit vector — the step then barely moves. Dividing by the largest |component| first
 * brings every sample to a max-norm of 1, where the L2 norm is exact; a zero sample stays zero.
 */
export function unitL2<T extends tf.Tensor>(g: T): T {
  return tf.tidy(() => {
    const n = g.shape[0]
    const flat = tf.reshape(g, [n, -1])
    const largest = tf.max(tf.abs(flat), 1, true)
    const scaled = tf.div(flat, tf.where(tf.greater(largest, 0), largest, tf.onesLike(largest)))
    const norm = tf.sqrt(tf.sum(tf.square(scaled), 1, true))
    return tf.reshape(tf.div(scaled, tf.where(tf.greater(norm, 0), norm, tf.onesLike(norm))), g.shape) as T
  })
}

/** The wasm `Sign` kernel, exact: a loop over the heap (1–3 ns per element, no copies). */
const wasmSign: tf.KernelConfig = {
  kernelName: 'Sign',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const heap = heapOf(backend)!
    const x = inputs.x as tf.TensorInfo
    if (x.dtype !== 'float32') throw new Error(`Sign on wasm: float32 expected, got ${x.dtype}`)
    // Allocate first: allocation may grow the heap and detach earlier views.
    const out = heap.makeOutput(x.shape, 'float32')
    const dst = heap.typedArrayFromHeap(out)
    const src = heap.typedArrayFromHeap(x)
    for (let i = 0; i < src.length; i++) {
      const v = src[i]
      dst[i] = v > 0 ? 1 : v < 0 ? -1 : v // ±0 and NaN pass through, as TensorFlow's sign does
    }
    return out
  }
}

export const EXACT_KERNELS = [wasmSign]
