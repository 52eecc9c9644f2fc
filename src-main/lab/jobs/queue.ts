/**
 * The job queue: jobs wait by priority (then age), up to `concurrency` run at once, each in its own
 * worker thread. Cancelling a queued job removes it; cancelling a running one asks its worker to
 * stop at the next step and terminates it if it does not within a grace period.
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import type { EventHub } from '../event-hub'
import type { JobSpec, MainMessage, WorkerMessage } from './messages'
import { RunRecorder } from './recorder'
import { MetricWriter } from '../store/metric-writer'
import { workerEntry } from './worker-url'

interface QueuedJob {
  id: number
  spec: JobSpec
  priority: number
  done: Promise<void>
  resolve: () => void
}

interface RunningJob extends QueuedJob {
  worker: Worker
  recorder: RunRecorder
  /** The worker reported how it ended and is only exiting: its run may be resumed already. */
  ended: boolean
}

const CANCEL_GRACE_MS = 10_000

/** The cores each job may keep busy when `concurrency` jobs run at once (at least one). */
export function coresPerJob(concurrency: number): number {
  return Math.max(1, Math.floor(os.availableParallelism() / Math.max(1, concurrency)))
}

export class JobQueue {
  private waiting: QueuedJob[] = []
  private running = new Map<number, RunningJob>()
  private nextId = 1
  private closed = false
  readonly metrics: MetricWriter

  constructor(
    private readonly db: Database.Database,
    private readonly events: EventHub,
    private chosenConcurrency = 1
  ) {
    this.metrics = new MetricWriter(db)
  }

  /** Jobs that may run at once: the chosen setting, or more while a study has raised it. */
  get concurrency(): number {
    return Math.max(this.chosenConcurrency, ...this.raisedTo)
  }

  /** Raised concurrencies still held (a running study holds one), each released by its holder. */
  private raisedTo: number[] = []

  /** Queues a job for a run; resolves `done` when it has finished, however it finished. */
  enqueue(spec: JobSpec, priority = 0): { jobId: number; done: Promise<void> } {
    let resolve!: () => void
    const done = new Promise<void>((r) => (resolve = r))
    const job: QueuedJob = { id: this.nextId++, spec, priority, done, resolve }
    this.waiting.push(job)
    this.waiting.sort((a, b) => b.priority - a.priority || a.id - b.id)
    this.pump()
    return { jobId: job.id, done }
  }

  setConcurrency(concurrency: number): void {
    this.chosenConcurrency = concurrency
    this.pump()
  }

  /** Lets at least `concurrency` jobs run at once until the returned function is called. */
  raiseConcurrency(concurrency: number): () => void {
    this.raisedTo.push(concurrency)
    this.pump()
    let held = true
    return () => {
      if (!held) return
      held = false
      this.raisedTo.splice(this.raisedTo.indexOf(concurrency), 1)
    }
  }

  isActive(runId: number): boolean {
    return this.waiting.some((j) => j.spec.runId === runId) || !!this.runningJobOf(runId)
  }

  progressOf(runId: number) {
    return this.runningJobOf(runId)?.recorder.progress ?? null
  }

  private runningJobOf(runId: number): RunningJob | undefined {
    return [...this.running.values()].find((j) => j.spec.runId === runId && !j.ended)
  }

  /** Returns false when the run has no job here. */
  cancel(runId: number): boolean {
    const queued = this.waiting.findIndex((j) => j.spec.runId === runId)
    if (queued >= 0) {
      const [job] = this.waiting.splice(queued, 1)
      new RunRecorder(this.db, this.events, this.metrics, runId, job.id).finish('cancelled', null, 'Cancelled before it started.')
      job.resolve()
      return true
    }
    const running = this.runningJobOf(runId)
    if (!running) return false
    running.worker.postMessage({ type: 'cancel' } satisfies MainMessage)
    const timer = setTimeout(() => void running.worker.terminate(), CANCEL_GRACE_MS)
    running.done.then(() => clearTimeout(timer))
    return true
  }

  /** Stops everything: running runs become `interrupted` (resumable), queued ones too. */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.waiting.splice(0)) {
      new RunRecorder(this.db, this.events, this.metrics, job.spec.runId, job.id).finish(
        'interrupted',
        null,
        'AdvLab closed before this run started; resume it to run it.'
      )
      job.resolve()
    }
    await Promise.all(
      [...this.running.values()].map(async (job) => {
        await job.worker.terminate()
      })
    )
    this.metrics.flush()
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      this.start(this.waiting.shift()!)
    }
  }

  private start(job: QueuedJob): void {
    const entry = workerEntry('jobs/worker-entry')
    const worker = new Worker(entry.file, {
      workerData: { ...entry.workerData, spec: { ...job.spec, cores: coresPerJob(this.concurrency) } }
    })
    const recorder = new RunRecorder(this.db, this.events, this.metrics, job.spec.runId, job.id)
    const running: RunningJob = { ...job, worker, recorder, ended: false }
    this.running.set(job.id, running)
    let finished = false
    worker.on('message', (message: WorkerMessage) => {
      try {
        recorder.apply(message)
      } catch (error) {
        // The log refused a write (disk full, …): the run cannot be trusted to have been recorded.
        recorder.finish('failed', `The log could not record this run: ${(error as Error).message}`, 'Failed to record.')
        void worker.terminate()
      }
      if (message.type === 'done' || message.type === 'failed' || message.type === 'cancelled') finished = running.ended = true
    })
    worker.on('error', (error) => {
      if (!finished) recorder.finish('failed', `The engine crashed: ${error.message}`, `The engine crashed: ${error.message}`)
      finished = true
    })
    worker.on('exit', () => {
      if (!finished) {
        recorder.finish(
          this.closed ? 'interrupted' : 'cancelled',
          null,
          this.closed ? 'AdvLab closed while this run was in progress.' : 'Stopped.'
        )
      }
      this.running.delete(job.id)
      job.resolve()
      this.pump()
    })
  }
}
