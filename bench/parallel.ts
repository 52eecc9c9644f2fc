/**
 * The two-core experiment: the same workloads split over N worker threads, each running its own
 * wasm engine on batch/N images (wasm is single-threaded per worker in Node). Training is
 * data-parallel: each worker returns its gradient, the main thread averages them — the
 * parameter update itself (cheap) is left out, as is broadcasting new weights.
 */
import os from 'node:os'
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

/**
 * Median wall seconds per call, and the process's CPU seconds per call (all threads). On a
 * machine whose cores are busy with other work, wall time cannot show the scaling; equal CPU
 * time per image for 1 and 2 workers shows the split itself costs nothing.
 */
async function medianSeconds(fn: () => Promise<void>, budgetMs: number, minReps = 3, maxReps = 10): Promise<{ wall: number; cpu: number }> {
  await fn()
  const times: number[] = []
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now()
    await fn()
    times.push((performance.now() - t0) / 1000)
  }
  const cpu = process.cpuUsage(cpu0)
  times.sort((a, b) => a - b)
  return { wall: times[Math.floor(times.length / 2)], cpu: (cpu.user + cpu.system) / 1e6 / times.length }
}

export interface ParallelResult {
  cell: Cell
  workers: number
  /** images/s (wall) */
  forward: number
  fgsm: number
  train: number
  /** CPU milliseconds per image, all threads */
  cpuMsPerImage: { forward: number; fgsm: number; train: number }
}

export async function benchParallel(workerCounts: number[], budgetMs: number, cells: Cell[] = CELLS): Promise<ParallelResult[]> {
  const out: ParallelResult[] = []
  for (const cell of cells) {
    for (const n of workerCounts) {
      const workers = await startWorkers(cell, n)
      const f = await medianSeconds(async () => void (await runAll(workers, 'forward')), budgetMs)
      const a = await medianSeconds(async () => void (await runAll(workers, 'fgsm')), budgetMs)
      const t = await medianSeconds(async () => {
        const grads = (await runAll(workers, 'grads')) as Float32Array[]
        const avg = grads[0]
        for (let k = 1; k < grads.length; k++) for (let i = 0; i < avg.length; i++) avg[i] += grads[k][i]
        for (let i = 0; i < avg.length; i++) avg[i] /= grads.length
      }, budgetMs)
      await Promise.all(workers.map((w) => w.terminate()))
      const r: ParallelResult = {
        cell,
        workers: n,
        forward: cell.batch / f.wall,
        fgsm: cell.batch / a.wall,
        train: cell.batch / t.wall,
        cpuMsPerImage: { forward: (1000 * f.cpu) / cell.batch, fgsm: (1000 * a.cpu) / cell.batch, train: (1000 * t.cpu) / cell.batch }
      }
      out.push(r)
      const c = r.cpuMsPerImage
      console.log(
        `  ${cell.arch} ${cell.inputShape.join('×')} batch ${cell.batch}, ${n} worker(s): forward ${r.forward.toFixed(1)}, fgsm ${r.fgsm.toFixed(1)}, train ${r.train.toFixed(1)} img/s` +
          ` | CPU ms/img ${c.forward.toFixed(2)}, ${c.fgsm.toFixed(2)}, ${c.train.toFixed(2)} (load ${os.loadavg()[0].toFixed(1)})`
      )
    }
  }
  return out
}
