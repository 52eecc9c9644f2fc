import { Worker } from 'node:worker_threads'
import type { TrainConfig } from '../../api/train'
import { workerEntry } from './worker-url'

export interface ProbeRequest {
  backend: string
  model: TrainConfig['model']
  inputShape: [number, number, number]
  numClasses: number
  batchSize: number
}

export interface ProbeResult {
  backend: string
  batchSize: number
  secondsPerTrainStep: number
  secondsPerInferenceImage: number
  /** Loss and input gradient of one image in inference mode (an attack step). */
  secondsPerInputGradientImage: number
}

/** Runs the timing probe in a worker thread, so the service stays responsive meanwhile. */
export function runProbe(request: ProbeRequest): Promise<ProbeResult> {
  const entry = workerEntry('jobs/probe-entry')
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.file, { workerData: { ...entry.workerData, request } })
    worker.once('message', (message: { ok: true; result: ProbeResult } | { ok: false; error: string }) => {
      if (message.ok) resolve(message.result)
      else reject(new Error(message.error))
    })
    worker.once('error', reject)
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the timing probe stopped (exit ${code})`)))
  })
}
