/**
 * Keeping the worst case per point across iterations and restarts: a misclassified candidate beats
 * a correctly classified one; between two of the same kind, the higher loss wins. Used by every
 * iterative attack, so an adversarial found mid-run is never thrown away by a later step.
 */
import * as tf from '@tensorflow/tfjs-core'
import { gatherRows, misclassified, scatterRows, selectSamples, swap } from './base'

export class WorstCase {
  adversarial: tf.Tensor4D
  fooled: Float32Array
  loss: Float32Array

  constructor(x: tf.Tensor4D) {
    this.adversarial = tf.clone(x)
    this.fooled = new Float32Array(x.shape[0])
    this.loss = new Float32Array(x.shape[0]).fill(-Infinity)
  }

  /** Offers candidates `x` whose logits and per-sample loss are known. */
  offer(x: tf.Tensor4D, logits: tf.Tensor2D, y: tf.Tensor1D, loss: tf.Tensor1D): void {
    const mis = misclassified(logits, y)
    const fooled = mis.dataSync() as Float32Array
    const values = loss.dataSync() as Float32Array
    mis.dispose()
    const take = new Float32Array(fooled.length)
    let any = false
    for (let i = 0; i < take.length; i++) {
      const better = fooled[i] > this.fooled[i] || (fooled[i] === this.fooled[i] && values[i] > this.loss[i])
      if (better) {
        take[i] = 1
        any = true
        this.fooled[i] = fooled[i]
        this.loss[i] = values[i]
      }
    }
    if (!any) return
    const mask = tf.tensor1d(take)
    // kept: offer() is often called inside an attack step's tf.tidy.
    this.adversarial = swap(this.adversarial, tf.keep(selectSamples(mask, x, this.adversarial)))
    mask.dispose()
  }

  fooledCount(): number {
    return this.fooled.reduce((a, b) => a + b, 0)
  }
}

/**
 * Runs `attempt` only on the points of `best` not yet fooled (gathered into a smaller batch) and
 * merges what it found back: fooled points always, the others only on the first attempt.
 */
export async function onRemaining(
  best: WorstCase,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  first: boolean,
  attempt: (x: tf.Tensor4D, y: tf.Tensor1D, sub: WorstCase, rows: number[]) => Promise<void>
): Promise<number> {
  const rows: number[] = []
  best.fooled.forEach((f, i) => f === 0 && rows.push(i))
  if (rows.length === 0) return 0
  const all = rows.length === x.shape[0]
  const xs = all ? x : gatherRows(x, rows)
  const ys = all ? y : gatherRows(y, rows)
  const sub = new WorstCase(xs)
  await attempt(xs, ys, sub, rows)
  const take: number[] = []
  const from: number[] = []
  rows.forEach((row, j) => {
    if (sub.fooled[j] > 0 || first) {
      take.push(row)
      from.push(j)
      best.fooled[row] = sub.fooled[j]
      best.loss[row] = sub.loss[j]
    }
  })
  if (take.length > 0) {
    const picked = gatherRows(sub.adversarial, from)
    best.adversarial = swap(best.adversarial, scatterRows(best.adversarial, take, picked))
    picked.dispose()
  }
  sub.adversarial.dispose()
  if (!all) tf.dispose([xs, ys])
  return rows.length
}
