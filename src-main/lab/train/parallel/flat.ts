/** Tensors to and from one flat Float32Array — the form weights and gradients travel between threads in. */
import * as tf from '@tensorflow/tfjs-core'

export function flatten(tensors: tf.Tensor[]): Float32Array {
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0))
  let offset = 0
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset)
    offset += t.size
  }
  return out
}

/** Assigns consecutive slices of `flat` to the variables, in order. */
export function assignFlat(variables: tf.Variable[], flat: Float32Array): void {
  const expected = variables.reduce((n, v) => n + v.size, 0)
  if (flat.length !== expected) throw new Error(`expected ${expected} values for ${variables.length} tensors, got ${flat.length}`)
  let offset = 0
  for (const v of variables) {
    const values = tf.tensor(flat.subarray(offset, offset + v.size), v.shape, 'float32')
    v.assign(values)
    values.dispose()
    offset += v.size
  }
}

/** The slices of `flat` as tensors shaped like `like`; the caller disposes them. */
export function unflatten(like: tf.Tensor[], flat: Float32Array): tf.Tensor[] {
  let offset = 0
  return like.map((t) => {
    const out = tf.tensor(flat.subarray(offset, offset + t.size), t.shape, 'float32')
    offset += t.size
    return out
  })
}
