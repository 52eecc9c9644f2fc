/**
 * Data-parallel training on one machine: each step's batch is split into shards, the job thread
 * computes the first while the replicas compute the rest, and the shard gradients and BatchNorm
 * running statistics are averaged, weighted by shard size. Since every loss is a batch mean,
 * the averaged gradient is the whole batch's — except that BatchNorm normalises each shard by its
 * own statistics, exactly as PyTorch's DistributedDataParallel without SyncBatchNorm does.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { JobContext } from '../../jobs/job-context'
import type { BuiltModel } from '../build-model'
import type { LossFunction } from '../loop'
import type { Objective } from '../objective'
import { batchGradients, splitBatch, type Batch, type BatchGradients } from '../step'
import { assignFlat, flatten, unflatten } from './flat'
import { ReplicaPool } from './replica-pool'

/** Backends that run one thread per worker, where more workers mean more cores in use. */
const SINGLE_THREADED = new Set(['wasm', 'cpu'])

/**
 * Replicas for `workers` − 1 more threads, or null where data-parallel training does not apply
 * (one worker, or a tensorflow backend, which already uses every core by itself).
 */
export async function startReplicas(ctx: JobContext, model: BuiltModel, workers: number, seed: number, objective: Objective, defence: Parameters<typeof ReplicaPool.start>[1]['defence']): Promise<ReplicaPool | null> {
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
  const remote = replicas.compute(
    flatten(model.model.tensors.map((t) => t.tensor)),
    shards.slice(1)
  )
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
  const grads = tf.tidy(() => {
    const parts = results.map((r) => unflatten(local.grads, r.grads))
    return local.grads.map((g, i) => parts.reduce((sum, p, k) => tf.add(sum, tf.mul(p[i], weights[k + 1])), tf.mul(g, weights[0])))
  })
  tf.dispose(local.grads)
  averageBuffers(model, weights, results.map((r) => r.buffers))
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
  let offset = 0
  for (const b of buffers) {
    if (!b.name.endsWith('num_batches_tracked')) {
      for (let i = offset; i < offset + b.tensor.size; i++) {
        let v = merged[i] * weights[0]
        for (let k = 0; k < remote.length; k++) v += remote[k][i] * weights[k + 1]
        merged[i] = v
      }
    }
    offset += b.tensor.size
  }
  assignFlat(buffers.map((b) => b.tensor), merged)
}
