/**
 * Data-parallel training on one machine: each step's batch is split into shards, the job thread
 * computes the first while the replicas compute the rest, and the shard gradients and BatchNorm
 * running statistics are averaged, weighted by shard size. Since every loss is a batch mean,
 * the averaged gradient is the whole batch's — except that BatchNorm normalises each shard by its
 * own statistics, exactly as PyTorch's DistributedDataParallel without SyncBatchNorm does.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../../api/defences'
import type { JobContext } from '../../jobs/job-context'
import type { BuiltModel } from '../build-model'
import type { LossFunction } from '../step'
import type { Objective } from '../objective'
import { batchGradients, splitBatch, type Batch, type BatchGradients } from '../step'
import { assignFlat, flatten, unflatten } from './flat'
import { ReplicaPool } from './replica-pool'

/** Backends that run one thread per worker, where more workers mean more cores in use. */
const SINGLE_THREADED = new Set(['wasm', 'cpu'])

/**
 * Workers for a training config that names none: the job's share of the cores, except for the
 * mlp, whose steps are too cheap for the split to pay (`npm run bench`-style measurement, MNIST
 * batch 128: 0.53× on two workers, against 1.93× for cnn-small).
 */
export function defaultWorkers(arch: string, cores: number): number {
  return arch === 'mlp' ? 1 : Math.max(1, cores)
}

/**
 * How much faster a training step runs on `workers` threads than on one: 1 + 0.75 per extra
 * worker on single-threaded backends (`npm run bench` measured 1.45–1.93× for two workers on
 * cnn-small and resnet18, depending on batch size), 1 elsewhere.
 */
export function dataParallelSpeedup(backend: string, workers: number): number {
  return SINGLE_THREADED.has(backend) ? 1 + 0.75 * (Math.max(1, workers) - 1) : 1
}

/**
 * Replicas for `workers` − 1 more threads, or null where data-parallel training does not apply
 * (one worker, or a tensorflow backend, which already uses every core by itself).
 */
export async function startReplicas(
  ctx: JobContext,
  model: BuiltModel,
  workers: number,
  seed: number,
  objective: Objective,
  defence: Defence | undefined
): Promise<ReplicaPool | null> {
  if (workers <= 1) return null
  if (!SINGLE_THREADED.has(ctx.backend.name)) {
    ctx.log('info', `${ctx.backend.name} already uses every core; training in one worker instead of ${workers}.`)
    return null
  }
  ctx.log('info', `Data-parallel training: each batch is split across ${workers} workers and their gradients averaged.`)
  return ReplicaPool.start(workers - 1, { spec: model.model.spec, defence, seed, objective }, ctx.backend.name)
}

export async function dataParallelGradients(
  replicas: ReplicaPool,
  model: BuiltModel,
  batch: Batch,
  lossFn: LossFunction,
  shape: { height: number; width: number; channels: number }
): Promise<BatchGradients> {
  const shards = splitBatch(batch, replicas.size + 1, shape.height * shape.width * shape.channels)
  if (shards.length === 1) return batchGradients(model, batch, lossFn, shape)
  // Posted before the local shard starts, so the replicas work while this thread does.
  const remote = replicas.compute(flatten(model.model.tensors.map((t) => t.tensor)), shards.slice(1))
  const local = batchGradients(model, shards[0], lossFn, shape)
  let results
  try {
    results = await remote
  } catch (error) {
    tf.dispose(local.grads)
    throw error
  }
  const n = batch.labels.length
  const weights = shards.map((s) => s.labels.length / n)
  // Combined on the host: one pass over plain arrays costs less than a tensor op per variable.
  const combined = flatten(local.grads)
  tf.dispose(local.grads)
  weightedSum(
    combined,
    weights,
    results.map((r) => r.grads)
  )
  const grads = unflatten(model.variables, combined)
  averageBuffers(
    model,
    weights,
    results.map((r) => r.buffers)
  )
  return {
    grads,
    loss: results.reduce((sum, r, k) => sum + r.loss * weights[k + 1], local.loss * weights[0]),
    correct: results.reduce((sum, r) => sum + r.correct, local.correct)
  }
}

/**
 * BatchNorm running statistics become the shard-weighted mean of every replica's update (each
 * started from the same values); the batch counters are equal everywhere and stay as they are.
 */
function averageBuffers(model: BuiltModel, weights: number[], remote: Float32Array[]): void {
  const buffers = model.model.buffers
  if (buffers.length === 0) return
  const merged = flatten(buffers.map((b) => b.tensor))
  const counters: [number, Float32Array][] = []
  let offset = 0
  for (const b of buffers) {
    if (b.name.endsWith('num_batches_tracked')) counters.push([offset, merged.slice(offset, offset + b.tensor.size)])
    offset += b.tensor.size
  }
  weightedSum(merged, weights, remote)
  for (const [at, values] of counters) merged.set(values, at)
  assignFlat(
    buffers.map((b) => b.tensor),
    merged
  )
}

/** mine ← weights[0]·mine + Σ weights[k + 1]·others[k], element by element. */
function weightedSum(mine: Float32Array, weights: number[], others: Float32Array[]): void {
  const w0 = weights[0]
  for (let i = 0; i < mine.length; i++) mine[i] *= w0
  others.forEach((other, k) => {
    const w = weights[k + 1]
    for (let i = 0; i < mine.length; i++) mine[i] += other[i] * w
  })
}
