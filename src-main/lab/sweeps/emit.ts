/**
 * Sweeps on existing cluster engines, not a scheduler of our own: Slurm array jobs (slurm.ts; one
 * array task per cell) and a Kubernetes Indexed Job (kubernetes.ts; each pod's JOB_COMPLETION_INDEX
 * names its cell). Each task runs the headless CLI on its cell — `lab sweep cell <sweep.json>
 * --index i --out <shared>/bundles` — with its own log directory, and leaves one run bundle in the
 * shared directory; `lab sweep merge <dir>` brings them all into one log, idempotently.
 *
 * This file holds what both engines share: the options and their defaults, and the job's name.
 */
import type { SweepFile } from './sweep-file'

export interface EmitOptions {
  /** The shared directory as the tasks see it; sweep.json is read from and bundles written under it. */
  shared: string
  /** Engine backend each task asks for (ADVLAB_BACKEND); the CLI falls back when it is absent. */
  backend: string
  /** Container image running the CLI (Kubernetes; see Dockerfile and docs/container.md). */
  image: string
  /** Kubernetes: when the node pulls the image (IfNotPresent suits an image built or loaded locally). */
  pullPolicy: PullPolicy
  /** Kubernetes PersistentVolumeClaim mounted at `shared`. */
  claim: string
  /** Whole CPUs, GiB and GPUs per task: Slurm takes only whole numbers for these. */
  cpus: number
  memoryGiB: number
  gpus: number
  /** Wall-time limit per task in Slurm's format (HH:MM:SS, D-HH:MM:SS, …); Kubernetes gets it in seconds. */
  time: string
  /** Tasks running at once (Slurm `%` throttle, Kubernetes parallelism); 0 = no limit. */
  parallel: number
  partition?: string
}

export const PULL_POLICIES = ['IfNotPresent', 'Always', 'Never'] as const
export type PullPolicy = (typeof PULL_POLICIES)[number]

/**
 * The defaults run anywhere: no GPU, so the wasm engine and the CPU image. Asking for GPUs switches
 * both (the CPU image has no CUDA, and tensorflow-gpu on a node without a GPU only falls back).
 */
export function emitDefaults(gpus = 0): Omit<EmitOptions, 'shared'> {
  return {
    backend: gpus > 0 ? 'tensorflow-gpu' : 'wasm',
    image: gpus > 0 ? 'advlab:gpu' : 'advlab:latest',
    pullPolicy: 'IfNotPresent',
    claim: 'advlab-shared',
    cpus: 4,
    memoryGiB: 16,
    gpus,
    time: '24:00:00',
    parallel: 0
  }
}

/** A name Slurm and Kubernetes both accept: lower-case letters, digits and dashes, ≤ 51 characters. */
export function jobName(sweep: SweepFile): string {
  const slug = sweep.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 44)
  return `advlab-${slug || 'sweep'}`.replace(/-+$/, '')
}

const SLURM_TIME = /^(?:(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?|(\d+)(?::(\d+)(?::(\d+))?)?)$/

/**
 * Slurm's time formats in seconds: "M", "M:S", "H:M:S", "D-H", "D-H:M", "D-H:M:S"; null when
 * `time` is none of them.
 */
export function slurmTimeSeconds(time: string): number | null {
  const m = SLURM_TIME.exec(time.trim())
  if (!m) return null
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s))
  if (m[1] !== undefined) return ((n(m[1]) * 24 + n(m[2])) * 60 + n(m[3])) * 60 + n(m[4])
  // Without days: one number is minutes, two are minutes:seconds, three are hours:minutes:seconds.
  if (m[7] !== undefined) return (n(m[5]) * 60 + n(m[6])) * 60 + n(m[7])
  if (m[6] !== undefined) return n(m[5]) * 60 + n(m[6])
  return n(m[5]) * 60
}
