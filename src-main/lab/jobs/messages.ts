/** What a job's worker thread and the main thread say to each other. */
import type { BackendInfo } from '../../api/status'
import type { MetricPoint } from '../store/metric-writer'
import type { EventLevel } from '../store/events'
import type { DatasetRecord } from '../store/datasets'
import type { EvalRecord } from '../store/evaluations'
import type { JobOrderOf, JobRunKind, TrainRunConfig } from '../../api/run-configs'
import type { Defence } from '../../api/defences'

/** A job of kind K: its config is the one runs of that kind store (api/run-configs.ts). */
export type JobSpecOf<K extends JobRunKind> = JobOrderOf<K> & JobSpecBase

/** Any job: a union keyed by `kind`, so narrowing the kind types the config. */
export type JobSpec = { [K in JobRunKind]: JobSpecOf<K> }[JobRunKind]

interface JobSpecBase {
  runId: number
  seed: number
  dataDir: string
  /** Continue from the run's last checkpoint instead of starting over. */
  resume: boolean
  /** Engine backend to use (already chosen by the service). */
  backend: string
  /** What the job reads from the log, resolved by the main thread (workers never open the log). */
  inputs: JobInputs
  /**
   * Cores this job may keep busy (the machine's, shared among the jobs the queue runs at once):
   * the default number of data-parallel training replicas and evaluation shard workers.
   */
  cores?: number
}

export interface JobInputs {
  dataset?: DatasetRecord
  /** Distillation from an existing run: its config and its final weights. */
  teacher?: { runId: number; config: TrainRunConfig; weightsFile: string }
  /** Attack, eval and sweep jobs: the model runs to evaluate (and a transfer surrogate). */
  targets?: ModelInput[]
  surrogate?: ModelInput
}

/**
 * A model run as an evaluation job needs it: its final weights and the defence layer its config
 * puts in front of the model (read by kind from the stored config, api/run-configs.ts).
 */
export interface ModelInput {
  runId: number
  name: string
  defence: Defence | null
  weightsFile: string
}

export type WorkerMessage =
  | { type: 'started'; backend: BackendInfo }
  | { type: 'progress'; phase: string; step: number; total: number; etaSeconds: number | null; message?: string }
  | { type: 'metrics'; points: MetricPoint[] }
  | { type: 'phase-end' }
  | { type: 'event'; level: EventLevel; message: string; data?: unknown }
  | { type: 'artifact'; kind: string; path: string; sha256: string; bytes: number }
  /** The job continues from a checkpoint taken at this step: later points are recomputed. */
  | { type: 'resumed'; fromStep: number; total: number }
  /** An evaluation result, score or masking verdict (lab/eval), written by the main thread. */
  | { type: 'eval-record'; record: EvalRecord }
  | { type: 'done'; summary?: Record<string, unknown> }
  | { type: 'failed'; error: string; step?: number }
  /** `at`: the step a training job checkpointed when it stopped, of how many. */
  | { type: 'cancelled'; at?: { step: number; total: number } }

export type MainMessage = { type: 'cancel' }
