/**
 * The wasm backend's memory as typed arrays, so kernels written in JavaScript read and write
 * tensors without copies. A view is valid until the next allocation, which may grow (and so move)
 * the heap: allocate outputs first, then take views. Other backends fall back to host copies.
 */
import * as tf from '@tensorflow/tfjs-core'

export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array
}

/** The backend's heap access, or null for a backend without one. */
export function heapOf(backend: unknown = tf.backend()): HeapBackend | null {
  const b = backend as Partial<HeapBackend>
  return b.makeOutput && b.typedArrayFromHeap ? (b as HeapBackend) : null
}

/** A new float32 tensor and a writable view of its memory (host memory when the backend has no heap). */
export function writable(shape: number[]): { values: Float32Array; finish: () => tf.Tensor } {
  const heap = heapOf()
  if (heap) {
    const info = heap.makeOutput(shape, 'float32')
    return { values: heap.typedArrayFromHeap(info), finish: () => tf.engine().makeTensorFromTensorInfo(info) }
  }
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
  return { values, finish: () => tf.tensor(values, shape) }
}

/** The values of t, without a copy where the backend allows. */
export function readable(t: tf.Tensor): Float32Array {
  const heap = heapOf()
  return heap ? heap.typedArrayFromHeap(t as unknown as tf.TensorInfo) : (t.dataSync() as Float32Array)
}
