/**
 * The job thread's side of data-parallel training: replica threads started once per training
 * phase, each sent the current weights and one shard of every batch.
 */
import { Worker } from 'node:worker_threads'
import { workerEntry } from '../../jobs/worker-url'
import type { Batch } from '../step'
import type { FromReplica, ReplicaRecipe, ToReplica } from './messages'

export type ShardResult = Extract<FromReplica, { type: 'result' }>

export class ReplicaPool {
  private nextId = 1

  private constructor(private readonly workers: Worker[]) {}

  get size(): number {
    return this.workers.length
  }

  /** Starts `count` replicas and waits until each has built its model. */
  static async start(count: number, recipe: ReplicaRecipe, backend: string): Promise<ReplicaPool> {
    const entry = workerEntry('train/parallel/replica-worker')
    const workers = Array.from({ length: count }, () => new Worker(entry.file, { workerData: { ...entry.workerData, recipe, backend } }))
    const pool = new ReplicaPool(workers)
    try {
      await Promise.all(workers.map((w) => reply(w, (m) => m.type === 'ready')))
    } catch (error) {
      await pool.close()
      throw error
    }
    return pool
  }

  /** Sends shard k to replica k with the weights `state`; resolves with every replica's result. */
  compute(state: Float32Array, shards: Batch[]): Promise<ShardResult[]> {
    if (shards.length > this.workers.length) throw new Error(`${shards.length} shards for ${this.workers.length} replicas`)
    return Promise.all(
      shards.map((shard, k) => {
        const id = this.nextId++
        const worker = this.workers[k]
        const result = reply(worker, (m) => m.type === 'result' && m.id === id) as Promise<ShardResult>
        const message: ToReplica = {
          type: 'step',
          id,
          state,
          images: shard.images,
          labels: shard.labels,
          indices: shard.indices,
          progress: shard.progress
        }
        worker.postMessage(message)
        return result
      })
    )
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}

/** The first message of `worker` that `wanted` accepts; rejects on a replica's error or exit. */
function reply(worker: Worker, wanted: (m: FromReplica) => boolean): Promise<FromReplica> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    const onMessage = (m: FromReplica) => {
      if (m.type === 'error') {
        cleanup()
        reject(new Error(m.message))
      } else if (wanted(m)) {
        cleanup()
        resolve(m)
      }
    }
    const onError = (error: Error) => {
      cleanup()
      reject(new Error(`a training replica crashed: ${error.message}`))
    }
    const onExit = (code: number) => {
      cleanup()
      reject(new Error(`a training replica exited (code ${code})`))
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
}
