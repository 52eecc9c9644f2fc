/**
 * One attack over a set of images, in fixed-size chunks whose seeds depend only on where the chunk
 * starts — so the result is the same whether the samples run in one thread or are sharded over
 * several workers (pool.ts).
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Attack, AttackParams, Classifier, Norm } from '../attacks/types'
import { subSeed } from '../attacks/base'
import { perturbationNorms } from './metrics'

export const CHUNK = 100

export interface AttackOutcome {
  predictions: Int32Array
  /** Achieved norm of x_adv − x; for minimal-perturbation attacks the norm they report (NaN = none found). */
  norms: Float32Array
  /** The first `keep` adversarial images (for the gallery). */
  kept: Float32Array
  budget: Record<string, unknown> | null
  stages: unknown[] | null
}

export interface AttackJob {
  attack: Attack
  params: AttackParams
  /** Index of the first sample in the whole evaluation (chunk seeds derive from it). */
  offset: number
  keep: number
}

interface StageCount {
  id: string
  budget: Record<string, unknown>
  robustBefore: number
  robustAfter: number
  seconds?: number
}

/** Ensemble stages summed over chunks: how many points each stage broke in the whole set. */
export function addStages(total: StageCount[] | null, chunk: StageCount[]): StageCount[] {
  const out = (total ?? []).map((s) => ({ ...s }))
  for (const s of chunk) {
    const at = out.find((o) => o.id === s.id)
    if (at) {
      at.robustBefore += s.robustBefore
      at.robustAfter += s.robustAfter
      at.seconds = (at.seconds ?? 0) + (s.seconds ?? 0)
    } else out.push({ id: s.id, budget: s.budget, robustBefore: s.robustBefore, robustAfter: s.robustAfter, seconds: s.seconds ?? 0 })
  }
  return out
}

/** Runs the attack and predicts on its output with `judge` (the target; differs for transfer). */
export async function runAttackChunks(
  crafter: Classifier,
  judge: Classifier,
  job: AttackJob,
  images: Float32Array,
  labels: Int32Array,
  progress: (done: number) => void,
  cancelled: () => boolean = () => false
): Promise<AttackOutcome> {
  const shape = crafter.inputShape
  const size = shape[0] * shape[1] * shape[2]
  const n = labels.length
  const predictions = new Int32Array(n)
  const norms = new Float32Array(n)
  const kept = new Float32Array(Math.min(job.keep, n) * size)
  let budget: Record<string, unknown> | null = null
  let stages: unknown[] | null = null
  for (let start = 0; start < n; start += CHUNK) {
    if (cancelled()) throw new Error('cancelled')
    const end = Math.min(n, start + CHUNK)
    const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, ...shape])
    const y = tf.tensor1d(labels.subarray(start, end), 'int32')
    const params: AttackParams = { ...job.params, seed: subSeed(job.params.seed, job.offset + start) }
    const result = await job.attack.run(crafter, x, y, params)
    const adv = result.adversarial.dataSync() as Float32Array
    const predicted = tf.tidy(() => tf.argMax(judge.logits(result.adversarial), 1).dataSync() as Int32Array)
    predictions.set(predicted, start)
    const achieved = perturbationNorms(images.subarray(start * size, end * size), adv, size, job.params.norm as Norm)
    if (result.perturbationNorms) {
      for (let i = 0; i < achieved.length; i++)
        achieved[i] = Number.isFinite(result.perturbationNorms[i]) ? result.perturbationNorms[i] : NaN
    }
    norms.set(achieved, start)
    if (start * size < kept.length) kept.set(adv.subarray(0, Math.min(adv.length, kept.length - start * size)), start * size)
    budget ??= (result as { budget?: Record<string, unknown> }).budget ?? null
    const st = (result as { stages?: StageCount[] }).stages
    if (st) stages = addStages(stages as StageCount[] | null, st)
    tf.dispose([x, y, result.adversarial])
    progress(end)
  }
  return { predictions, norms, kept, budget, stages }
}
