import type { BackendInfo } from '../../api/status'
import type { MetricPoint } from '../store/metric-writer'
import type { EventLevel } from '../store/events'
import type { JobSpecOf } from './messages'
import type { JobRunKind } from '../../api/run-configs'
import type { EvalRecord } from '../store/evaluations'

/** What a job function sees, inside its worker thread; a job of kind K sees a spec of that kind. */
export interface JobContext<K extends JobRunKind = JobRunKind> {
  spec: JobSpecOf<K>
  backend: BackendInfo
  progress(p: { phase: string; step: number; total: number; etaSeconds?: number | null; message?: string }): void
  metrics(points: MetricPoint[]): void
  /** Says that a phase (epoch, attack, …) ended, so its points are flushed to the log now. */
  phaseEnd(): void
  log(level: EventLevel, message: string, data?: unknown): void
  /** Records a file under the data directory as an artifact of the run. */
  artifact(kind: string, absolutePath: string): Promise<void>
  /** The job continues from a checkpoint at `fromStep` of `total` steps (the run's x-axis). */
  resumed(fromStep: number, total: number): void
  /** Sends an evaluation result, score or verdict to the log (lab/eval). */
  record(record: EvalRecord): void
  /** True once the user asked to cancel; jobs check it between steps. */
  cancelled(): boolean
}

/** Thrown by a job that noticed cancellation, to unwind cleanly; a training job says the step it checkpointed. */
export class JobCancelled extends Error {
  constructor(readonly at?: { step: number; total: number }) {
    super('cancelled')
  }
}

/** A failure with a precise user-facing reason (e.g. NaN loss at step N). */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly step?: number
  ) {
    super(message)
  }
}

export type JobFunction<K extends JobRunKind = JobRunKind> = (ctx: JobContext<K>) => Promise<Record<string, unknown> | void>
