/**
 * Engine benchmark: images/s of forward, FGSM, PGD-10 and one SGD-momentum training step for the
 * built-in models on the active backend (median of timed repeats after a warm-up).
 */
import * as tf from '@tensorflow/tfjs-core'
import { createModel, type Model } from '../src-main/lab/models/model'
import { inputGradient } from '../src-main/lab/models/gradient'
import type { ModelSpec } from '../src-main/lab/models/spec'
import { trainingThroughput } from './parallel'

export interface Cell {
  arch: ModelSpec['arch']
  inputShape: [number, number, number]
  batch: number
  width: number
}

export const WORKLOADS = ['forward', 'fgsm', 'pgd10', 'train'] as const
export type Workload = (typeof WORKLOADS)[number]

export const CELLS: Cell[] = [
  { arch: 'cnn-small', inputShape: [28, 28, 1], batch: 64, width: 1 },
  { arch: 'cnn-small', inputShape: [32, 32, 3], batch: 64, width: 1 },
  { arch: 'resnet18', inputShape: [32, 32, 3], batch: 32, width: 1 }
]

export const EPS = 8 / 255
export const PGD_STEP = 2 / 255

/** Runs fn (after one warm-up call unless warm) until ~budgetMs or maxReps; median seconds per call. */
export function medianSeconds(fn: () => void, budgetMs: number, minReps = 3, maxReps = 20, warm = false): number {
  if (!warm) fn()
  const times: number[] = []
  const start = performance.now()
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now()
    fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

export function fgsm(model: Model, x: tf.Tensor4D, y: tf.Tensor1D): tf.Tensor4D {
  const g = inputGradient(model, x, y)
  const adv = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(tf.sign(g.grad), EPS)), 0, 1)) as tf.Tensor4D
  tf.dispose([g.grad, g.loss, g.logits])
  return adv
}

export function pgd(model: Model, x: tf.Tensor4D, y: tf.Tensor1D, steps: number): tf.Tensor4D {
  let adv = tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomUniform(x.shape, -EPS, EPS, 'float32', 1)), 0, 1)) as tf.Tensor4D
  for (let i = 0; i < steps; i++) {
    const g = inputGradient(model, adv, y)
    const next = tf.tidy(() => {
      const stepped = tf.add(adv, tf.mul(tf.sign(g.grad), PGD_STEP))
      return tf.clipByValue(tf.minimum(tf.maximum(stepped, tf.sub(x, EPS)), tf.add(x, EPS)), 0, 1)
    }) as tf.Tensor4D
    tf.dispose([g.grad, g.loss, g.logits, adv])
    adv = next
  }
  return adv
}

export type CellResult = Record<Workload, number>

/** images/s for each workload of one cell, on this thread (training: the app's own step). */
export async function benchCell(cell: Cell, budgetMs: number): Promise<CellResult> {
  const model = createModel({ arch: cell.arch, inputShape: cell.inputShape, numClasses: 10, width: cell.width, seed: 1 })
  const x = tf.randomUniform([cell.batch, ...cell.inputShape], 0, 1, 'float32', 2) as tf.Tensor4D
  const y = tf.tensor1d(
    Array.from({ length: cell.batch }, (_, i) => i % 10),
    'int32'
  )
  const sync = (t: tf.Tensor): void => {
    t.dataSync()
    t.dispose()
  }
  const out = {} as CellResult
  out.forward = cell.batch / medianSeconds(() => sync(model.forward(x)), budgetMs)
  out.fgsm = cell.batch / medianSeconds(() => sync(fgsm(model, x, y)), budgetMs)
  // PGD runs the same inference path FGSM just warmed up: no separate warm-up call.
  out.pgd10 = cell.batch / medianSeconds(() => sync(pgd(model, x, y, 10)), budgetMs, 2, 5, true)
  tf.dispose([x, y])
  model.dispose()
  out.train = await trainingThroughput(cell, 1, budgetMs)
  return out
}
