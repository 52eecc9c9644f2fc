import type { JobFunction } from './job-context'
import type { JobRunKind } from '../../api/run-configs'

/**
 * Every kind of job a worker can run, each typed for its kind's spec (so a job reads its config
 * without a cast). Each is loaded lazily so a worker only pays for the code of the job it runs.
 */
export const jobKinds: { [K in JobRunKind]: JobFunction<K> } = {
  train: async (ctx) => (await import('../train/train-job')).trainJob(ctx),
  distill: async (ctx) => (await import('../train/distill-job')).distillJob(ctx),
  import: async (ctx) => (await import('../train/import-job')).importJob(ctx),
  attack: async (ctx) => (await import('../eval/jobs')).attackJob(ctx),
  eval: async (ctx) => (await import('../eval/jobs')).evalJob(ctx),
  sweep: async (ctx) => (await import('../eval/jobs')).sweepJob(ctx),
  corruptions: async (ctx) => (await import('../corruptions/job')).corruptionsJob(ctx)
}
