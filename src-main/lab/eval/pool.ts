/**
 * "Attacks run data-parallel over the worker pool": an evaluation job splits the samples of each
 * attack into contiguous shards, one per shard worker (each a worker thread with its own engine and
 * its own copy of the model, loaded from the weights file). With one worker the task runs in the
 * job's own thread. Chunk seeds depend only on sample positions (attack-runner.ts), so the result
 * does not depend on the number of workers.
 */
import { Worker } from 'node:worker_threads'
import { LabError, type ApiErrorCode } from '../../api/errors'
import { workerEntry } from '../jobs/worker-url'
import { addStages, CHUNK, type AttackOutcome } from './attack-runner'
import { runTask, TargetCache } from './run-task'
import type { FromShard, ShardTask, ToShard } from './shard-messages'

type TaskInput = Omit<ShardTask, 'id' | 'offset' | 'images' | 'labels'> & { images: Float32Array; labels: Int32Array }

export class ShardPool {
  private workers: Worker[] = []
  private ready: Promise<void>[] = []
  private local = new TargetCache()
  private nextId = 1

  constructor(
    readonly size: number,
    private readonly backend: string,
    private readonly cancelled: () => boolean
  ) {
    if (size <= 1) return
    const entry = workerEntry('eval/shard-worker')
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.file, { workerData: { ...entry.workerData, backend } })
      this.workers.push(worker)
      this.ready.push(
        new Promise((resolve, reject) => {
          const onMessage = (m: FromShard) => {
            if (m.type === 'ready') {
              worker.off('message', onMessage)
              resolve()
            }
          }
          worker.on('message', onMessage)
          worker.once('error', reject)
        })
      )
    }
  }

  /** Runs one attack over all samples; `progress` gets the number of samples done. */
  async run(input: TaskInput, progress: (done: number) => void): Promise<AttackOutcome> {
    const n = input.labels.length
    const size = input.images.length / Math.max(n, 1)
    if (this.workers.length === 0 || n <= CHUNK) {
      return runTask(this.local, { ...input, id: this.nextId++, offset: 0 }, progress, this.cancelled)
    }
    await Promise.all(this.ready)
    // Shards are whole chunks, so every chunk's seed is the same as in a single thread.
    const chunks = Math.ceil(n / CHUNK)
    const per = Math.ceil(chunks / this.workers.length)
    const shards: { start: number; end: number }[] = []
    for (let c = 0; c < chunks; c += per) shards.push({ start: c * CHUNK, end: Math.min(n, (c + per) * CHUNK) })
    const done = new Array(shards.length).fill(0)
    const outcomes = await Promise.all(
      shards.map((shard, i) => {
        const task: ShardTask = {
          ...input,
          id: this.nextId++,
          offset: shard.start,
          keep: Math.max(0, Math.min(input.keep - shard.start, shard.end - shard.start)),
          images: input.images.slice(shard.start * size, shard.end * size),
          labels: input.labels.slice(shard.start, shard.end)
        }
        return this.send(this.workers[i], task, (d) => {
          done[i] = d
          progress(done.reduce((a, b) => a + b, 0))
        })
      })
    )
    return merge(outcomes, n, input.keep * size)
  }

  private send(worker: Worker, task: ShardTask, progress: (done: number) => void): Promise<AttackOutcome> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromShard) => {
        if (m.type === 'ready' || m.id !== task.id) return
        if (m.type === 'progress') return progress(m.done)
        worker.off('message', onMessage)
        if (m.type === 'result') resolve(m.outcome)
        else reject(m.code ? new LabError(m.code as ApiErrorCode, m.message, m.field) : new Error(m.message))
      }
      worker.on('message', onMessage)
      worker.postMessage({ type: 'task', task } satisfies ToShard, [task.images.buffer as ArrayBuffer, task.labels.buffer as ArrayBuffer])
    })
  }

  cancel(): void {
    for (const w of this.workers) w.postMessage({ type: 'cancel' } satisfies ToShard)
  }

  async close(): Promise<void> {
    this.local.dispose()
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.workers = []
  }
}

function merge(parts: AttackOutcome[], n: number, keptLength: number): AttackOutcome {
  const predictions = new Int32Array(n)
  const norms = new Float32Array(n)
  const kept = new Float32Array(keptLength)
  let at = 0
  let keptAt = 0
  let stages: AttackOutcome['stages'] = null
  for (const p of parts) {
    predictions.set(p.predictions, at)
    norms.set(p.norms, at)
    at += p.predictions.length
    if (keptAt < keptLength && p.kept.length) {
      kept.set(p.kept.subarray(0, keptLength - keptAt), keptAt)
      keptAt += p.kept.length
    }
    if (p.stages) stages = addStages(stages as Parameters<typeof addStages>[0], p.stages as Parameters<typeof addStages>[1])
  }
  return { predictions, norms, kept, budget: parts[0]?.budget ?? null, stages }
}
