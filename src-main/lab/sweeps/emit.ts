/**
 * Sweeps on existing cluster engines, not a scheduler of our own: a Slurm array job script
 * (one array task per cell, `--array=0-(N-1)`) and a Kubernetes Indexed Job (completionMode:
 * Indexed; each pod's JOB_COMPLETION_INDEX names its cell). Each task runs the headless CLI on its
 * cell — `lab sweep cell <sweep.json> --index i --out <shared>/bundles` — with its own log
 * directory, and leaves one run bundle in the shared directory; `lab sweep merge <dir>` (or
 * `lab import` per bundle) brings them all into one log, idempotently.
 */
import YAML from 'yaml'
import type { SweepFile } from './sweep-file'

export interface EmitOptions {
  /** The shared directory as the tasks see it; sweep.json is read from and bundles written under it. */
  shared: string
  /** Engine backend each task asks for (ADVLAB_BACKEND); the CLI falls back when it is absent. */
  backend: string
  /** Container image running the CLI (Kubernetes; see Dockerfile and docs/container.md). */
  image: string
  /** Kubernetes PersistentVolumeClaim mounted at `shared`. */
  claim: string
  cpus: number
  memoryGiB: number
  gpus: number
  /** Wall-time limit per task, HH:MM:SS (Slurm). */
  time: string
  /** Tasks running at once (Slurm `%` throttle, Kubernetes parallelism); 0 = no limit. */
  parallel: number
  partition?: string
}

export const DEFAULT_EMIT: Omit<EmitOptions, 'shared'> = {
  backend: 'tensorflow-gpu',
  image: 'advlab:latest',
  claim: 'advlab-shared',
  cpus: 4,
  memoryGiB: 16,
  gpus: 1,
  time: '24:00:00',
  parallel: 0
}

/** A name Slurm and Kubernetes both accept: lower-case letters, digits and dashes, ≤ 52 characters. */
export function jobName(sweep: SweepFile): string {
  const slug = sweep.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 44)
  return `advlab-${slug || 'sweep'}`.replace(/-+$/, '')
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

export function slurmScript(sweep: SweepFile, cells: number, o: EmitOptions): string {
  const name = jobName(sweep)
  const array = `0-${cells - 1}${o.parallel > 0 ? `%${o.parallel}` : ''}`
  const directives = [
    `--job-name=${name}`,
    `--array=${array}`,
    `--cpus-per-task=${o.cpus}`,
    `--mem=${o.memoryGiB}G`,
    `--time=${o.time}`,
    `--output=${o.shared}/logs/%x-%A_%a.out`,
    `--error=${o.shared}/logs/%x-%A_%a.err`,
    ...(o.gpus > 0 ? [`--gres=gpu:${o.gpus}`] : []),
    ...(o.partition ? [`--partition=${o.partition}`] : [])
  ]
  return `#!/bin/bash
# AdvLab sweep "${sweep.name}": ${cells} cell${cells === 1 ? '' : 's'}, one Slurm array task each.
# Submit with: sbatch ${name}.slurm   (create ${o.shared}/logs first: mkdir -p ${o.shared}/logs)
# Afterwards, on any machine that sees the shared directory: lab sweep merge ${o.shared}/bundles
${directives.map((d) => `#SBATCH ${d}`).join('\n')}

set -euo pipefail
SHARED=${shellQuote(o.shared)}
INDEX="\${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task (sbatch), which sets SLURM_ARRAY_TASK_ID}"
# The engine backend to ask for; AdvLab falls back (tensorflow → wasm) and records what it used.
export ADVLAB_BACKEND="\${ADVLAB_BACKEND:-${o.backend}}"
# Each task keeps its own log (SQLite is not shared across nodes); its runs leave as a bundle.
export ADVLAB_DATA_DIR="\${ADVLAB_TASK_DATA_DIR:-\${TMPDIR:-/tmp}/${name}-\${INDEX}}"
LAB="\${ADVLAB_LAB:-lab}"
mkdir -p "\${SHARED}/bundles" "\${SHARED}/logs" "\${ADVLAB_DATA_DIR}"
\${LAB} sweep cell "\${SHARED}/sweep.json" --index "\${INDEX}" --out "\${SHARED}/bundles"
`
}

export function kubernetesManifest(sweep: SweepFile, cells: number, o: EmitOptions): string {
  const name = jobName(sweep)
  const manifest = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { app: 'advlab', 'advlab/sweep': name } },
    spec: {
      completionMode: 'Indexed',
      completions: cells,
      parallelism: o.parallel > 0 ? Math.min(o.parallel, cells) : cells,
      // A failed cell is retried once; its earlier attempt left no bundle behind.
      backoffLimit: cells,
      template: {
        metadata: { labels: { app: 'advlab', 'advlab/sweep': name } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'advlab',
              image: o.image,
              // Kubernetes sets JOB_COMPLETION_INDEX in every pod of an Indexed Job; `lab sweep cell` reads it.
              command: ['lab', 'sweep', 'cell', `${o.shared}/sweep.json`, '--out', `${o.shared}/bundles`],
              env: [
                { name: 'ADVLAB_BACKEND', value: o.backend },
                { name: 'ADVLAB_DATA_DIR', value: '/tmp/advlab' }
              ],
              resources: {
                requests: { cpu: String(o.cpus), memory: `${o.memoryGiB}Gi` },
                limits: { memory: `${o.memoryGiB}Gi`, ...(o.gpus > 0 ? { 'nvidia.com/gpu': o.gpus } : {}) }
              },
              volumeMounts: [{ name: 'shared', mountPath: o.shared }]
            }
          ],
          volumes: [{ name: 'shared', persistentVolumeClaim: { claimName: o.claim } }]
        }
      }
    }
  }
  return `# AdvLab sweep "${sweep.name}": ${cells} cell${cells === 1 ? '' : 's'} as a Kubernetes Indexed Job.
# Put sweep.json at ${o.shared}/sweep.json on the volume "${o.claim}", then: kubectl apply -f ${name}.k8s.yaml
# Afterwards: lab sweep merge <the volume's bundles folder>
${YAML.stringify(manifest)}`
}
