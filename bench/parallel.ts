/**
 * The workloads of the engine benchmark as the app runs them on N cores: attacks split the batch
 * over N worker threads (each a wasm engine on batch/N images, as the evaluation pool does), and
 * training is the app's own data-parallel step (lab/train/parallel: weights sent to N − 1
 * replicas, shard gradients and BatchNorm statistics averaged, the SGD update applied).
 */
import { Worker } from 'node:worker_threads'
import { createModel } from '../src-main/lab/models/model'
import { adapt } from '../src-main/lab/train/build-model'
import { objectiveLoss, type Objective } from '../src-main/lab/train/objective'
import { createOptimizer } from '../src-main/lab/train/optimizers'
import { trainStep } from '../src-main/lab/train/loop'
import { ReplicaPool } from '../src-main/lab/train/parallel/replica-pool'
import type { Cell, CellResult } from './engine'

/** Median wall seconds per call after one warm-up call. */
async function medianSeconds(fn: () => Promise<void>, budgetMs: number, minReps = 3, maxReps = 10): Promise<number> {
  await fn()
  const times: number[] = []
  const start = performance.now()
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now()
    await fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

async function attackWorkers(cell: Cell, n: number): Promise<Worker[]> {
  const share = (k: number) => Math.floor(cell.batch / n) + (k < cell.batch % n ? 1 : 0)
  const workers = Array.from(
    { length: n },
    (_, k) => new Worker(new URL('./parallelWorker.mjs', import.meta.url), { workerData: { cell, batch: share(k) } })
  )
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))))
  return workers
}

function runAll(workers: Worker[], workload: string): Promise<void> {
  return Promise.all(workers.map((w) => new Promise((resolve) => (w.once('message', resolve), w.postMessage(workload))))).then(
    () => undefined
  )
}

/** The app's training step (SGD with momentum) for one cell, on one thread or data-parallel over `workers`. */
export async function appTrainer(cell: Cell, workers: number): Promise<{ step: () => Promise<void>; close: () => Promise<void> }> {
  const model = adapt(createModel({ arch: cell.arch, inputShape: cell.inputShape, numClasses: 10, width: cell.width, seed: 1 }))
  const [height, width, channels] = cell.inputShape
  const shape = { height, width, channels }
  const objective: Objective = { kind: 'cross-entropy', temperature: 1, labelSmoothing: 0 }
  const loss = objectiveLoss(objective, undefined, model, shape, 0, null)
  const optimizer = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 }, model.variables)
  const images = Float32Array.from({ length: cell.batch * height * width * channels }, (_, i) => ((i * 7919) % 1000) / 1000)
  const batch = {
    images,
    labels: Int32Array.from({ length: cell.batch }, (_, i) => i % 10),
    indices: Int32Array.from({ length: cell.batch }, (_, i) => i)
  }
  const replicas = workers > 1 ? await ReplicaPool.start(workers - 1, { spec: model.model.spec, seed: 0, objective }, 'wasm') : null
  return {
    step: () => trainStep(model, optimizer, batch, loss, 0.01, shape, replicas).then(() => undefined),
    async close() {
      await replicas?.close()
      optimizer.dispose()
      model.dispose()
    }
  }
}

/** images/s of the app's training step on `workers` threads. */
export async function trainingThroughput(cell: Cell, workers: number, budgetMs: number): Promise<number> {
  const trainer = await appTrainer(cell, workers)
  try {
    return cell.batch / (await medianSeconds(trainer.step, budgetMs))
  } finally {
    await trainer.close()
  }
}

/** images/s of every workload of one cell with `workers` threads. */
export async function benchParallelCell(cell: Cell, workers: number, budgetMs: number): Promise<CellResult> {
  const pool = await attackWorkers(cell, workers)
  try {
    const forward = cell.batch / (await medianSeconds(() => runAll(pool, 'forward'), budgetMs))
    const fgsm = cell.batch / (await medianSeconds(() => runAll(pool, 'fgsm'), budgetMs))
    const pgd10 = cell.batch / (await medianSeconds(() => runAll(pool, 'pgd10'), budgetMs, 2, 5))
    await Promise.all(pool.map((w) => w.terminate()))
    return { forward, fgsm, pgd10, train: await trainingThroughput(cell, workers, budgetMs) }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
}
