/**
 * The two-core experiment: the same workloads split over N worker threads, each running its own
 * wasm engine on batch/N images (wasm is single-threaded per worker in Node). Training is
 * data-parallel: each worker returns its gradient, the main thread averages them — the
 * parameter update itself (cheap) is left out, as is broadcasting new weights.
 */
import { Worker } from 'node:worker_threads'
import { CELLS, type Cell } from './engine'

async function startWorkers(cell: Cell, n: number): Promise<Worker[]> {
  const workers = Array.from({ length: n }, () => new Worker(new URL('./parallelWorker.mjs', import.meta.url), { workerData: { cell, batch: cell.batch / n } }))
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))))
  return workers
}

function runAll(workers: Worker[], workload: string): Promise<unknown[]> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('message', resolve)
          w.postMessage(workload)
        })
    )
  )
}

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

export interface ParallelResult {
  cell: Cell
  workers: number
  forward: number
  fgsm: number
  train: number
}

export async function benchParallel(workerCounts: number[], budgetMs: number): Promise<ParallelResult[]> {
  const out: ParallelResult[] = []
  for (const cell of CELLS) {
    for (const n of workerCounts) {
      const workers = await startWorkers(cell, n)
      const forward = cell.batch / (await medianSeconds(async () => void (await runAll(workers, 'forward')), budgetMs))
      const fgsm = cell.batch / (await medianSeconds(async () => void (await runAll(workers, 'fgsm')), budgetMs))
      const train =
        cell.batch /
        (await medianSeconds(async () => {
          const grads = (await runAll(workers, 'grads')) as Float32Array[]
          const avg = grads[0]
          for (let k = 1; k < grads.length; k++) for (let i = 0; i < avg.length; i++) avg[i] += grads[k][i]
          for (let i = 0; i < avg.length; i++) avg[i] /= grads.length
        }, budgetMs))
      await Promise.all(workers.map((w) => w.terminate()))
      out.push({ cell, workers: n, forward, fgsm, train })
      console.log(`  ${cell.arch} ${cell.inputShape.join('×')} batch ${cell.batch}, ${n} worker(s): forward ${forward.toFixed(1)}, fgsm ${fgsm.toFixed(1)}, train ${train.toFixed(1)} img/s`)
    }
  }
  return out
}
