/**
 * The body of every job worker thread: selects the engine backend, runs one job function and
 * reports everything it does to the main thread, which owns the log.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { JobSpec, JobSpecOf, MainMessage, WorkerMessage } from './messages'
import type { JobRunKind } from '../../api/run-configs'
import { JobCancelled, JobFailure, type JobContext, type JobFunction } from './job-context'
import { jobKinds } from './kinds'
import { initEngine } from '../engine/init'

const port = parentPort!
const spec = (workerData as { spec: JobSpec }).spec
let cancelRequested = false
const heard = (message: MainMessage) => {
  if (message.type === 'cancel') cancelRequested = true
}
port.on('message', heard)
/**
 * Reads a waiting message now: a job whose steps never yield to the event loop (an mlp trains
 * batch after batch synchronously) would otherwise hear "cancel" only when it has finished.
 */
function cancelled(): boolean {
  for (let m = receiveMessageOnPort(port); !cancelRequested && m; m = receiveMessageOnPort(port)) heard(m.message as MainMessage)
  return cancelRequested
}
const post = (message: WorkerMessage) => port.postMessage(message)

// Generic in the kind, so the job function found for spec.kind is the one typed for this spec.
async function run<K extends JobRunKind>(spec: JobSpecOf<K>): Promise<void> {
  const job: JobFunction<K> | undefined = jobKinds[spec.kind]
  if (!job) return post({ type: 'failed', error: `AdvLab does not know how to run a "${spec.kind}" job.` })
  const backend = await initEngine(spec.backend)
  post({ type: 'started', backend })
  const ctx: JobContext<K> = {
    spec,
    backend,
    progress: (p) => post({ type: 'progress', etaSeconds: null, ...p }),
    metrics: (points) => post({ type: 'metrics', points }),
    phaseEnd: () => post({ type: 'phase-end' }),
    log: (level, message, data) => post({ type: 'event', level, message, data }),
    async artifact(kind, absolutePath) {
      const bytes = fs.statSync(absolutePath).size
      const sha256 = crypto.createHash('sha256').update(fs.readFileSync(absolutePath)).digest('hex')
      post({ type: 'artifact', kind, path: path.relative(spec.dataDir, absolutePath), sha256, bytes })
    },
    resumed: (fromStep, total) => post({ type: 'resumed', fromStep, total }),
    record: (record) => post({ type: 'eval-record', record }),
    cancelled
  }
  try {
    const summary = await job(ctx)
    post(cancelRequested ? { type: 'cancelled' } : { type: 'done', summary: summary ?? undefined })
  } catch (error) {
    if (error instanceof JobCancelled) post({ type: 'cancelled', at: error.at })
    else if (error instanceof JobFailure) post({ type: 'failed', error: error.message, step: error.step })
    else post({ type: 'failed', error: `${(error as Error)?.message ?? String(error)}` })
  }
}

run(spec)
  .catch((error) => post({ type: 'failed', error: String((error as Error)?.stack ?? error) }))
  // The job is over: closing the port lets the thread exit, which frees its slot in the queue.
  .finally(() => port.close())
