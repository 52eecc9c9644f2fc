/**
 * A sweep as a Kubernetes Indexed Job (batch/v1): pod i runs cell i, named by JOB_COMPLETION_INDEX.
 *  - Retries are per cell (backoffLimitPerIndex, Kubernetes ≥ 1.29): a failing cell is tried twice
 *    and then given up alone; the other cells still run (maxFailedIndexes = every cell). A Job-wide
 *    backoffLimit would let one bad cell use up the retries of all and fail the whole Job.
 *  - --time is each pod's deadline (activeDeadlineSeconds), as it is each array task's in Slurm.
 *  - Each emit names a new submission (a suffix after the sweep's name), so applying a second
 *    emitted manifest starts a second Job instead of colliding with the first.
 * The object is typed with the Job types generated from Kubernetes' OpenAPI schema, so a misspelled
 * or misplaced field does not compile; the tests validate it against the same schema.
 */
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import YAML from 'yaml'
import type { SweepFile } from './sweep-file'
import { jobName, slurmTimeSeconds, type EmitOptions } from './emit'

/**
 * A short suffix that differs between submissions: the time in seconds and four random characters,
 * base 36 (ten characters, so the longest sweep name still makes a 63-character DNS label).
 */
export function submissionSuffix(now = Date.now(), random = Math.random()): string {
  return `${Math.floor(now / 1000)
    .toString(36)
    .slice(-6)}${Math.floor(random * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`
}

export function kubernetesJob(sweep: SweepFile, cells: number, o: EmitOptions, suffix: string): IJob {
  const sweepName = jobName(sweep)
  const name = `${sweepName}-${suffix}`
  const deadline = slurmTimeSeconds(o.time)
  if (deadline === null || deadline < 1)
    throw new Error(`--time "${o.time}" is not a Slurm time (HH:MM:SS, D-HH:MM:SS, …) of at least one second.`)
  const labels = { app: 'advlab', 'advlab/sweep': sweepName, 'advlab/submission': name }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: cells,
      parallelism: o.parallel > 0 ? Math.min(o.parallel, cells) : cells,
      backoffLimitPerIndex: 1,
      maxFailedIndexes: cells,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          activeDeadlineSeconds: deadline,
          containers: [
            {
              name: 'advlab',
              image: o.image,
              imagePullPolicy: o.pullPolicy,
              // Kubernetes sets JOB_COMPLETION_INDEX in every pod of an Indexed Job; `lab sweep cell` reads it.
              command: ['lab', 'sweep', 'cell', `${o.shared}/sweep.json`, '--out', `${o.shared}/bundles`],
              env: [
                { name: 'ADVLAB_BACKEND', value: o.backend },
                { name: 'ADVLAB_DATA_DIR', value: '/tmp/advlab' }
              ],
              resources: {
                requests: { cpu: String(o.cpus), memory: `${o.memoryGiB}Gi` },
                limits: { memory: `${o.memoryGiB}Gi`, ...(o.gpus > 0 ? { 'nvidia.com/gpu': String(o.gpus) } : {}) }
              },
              volumeMounts: [{ name: 'shared', mountPath: o.shared }]
            }
          ],
          volumes: [{ name: 'shared', persistentVolumeClaim: { claimName: o.claim } }]
        }
      }
    }
  }
}

export function kubernetesManifest(sweep: SweepFile, cells: number, o: EmitOptions, suffix: string): string {
  const job = kubernetesJob(sweep, cells, o, suffix)
  return `# AdvLab sweep ${JSON.stringify(sweep.name)}: ${cells} cell${cells === 1 ? '' : 's'} as a Kubernetes Indexed Job (Kubernetes ≥ 1.29 for per-cell retries).
# The claim "${o.claim}" must be ReadWriteMany: pods on different nodes read sweep.json from it and
# write their bundles to it at the same time (a ReadWriteOnce volume keeps all pods on one node).
# Put sweep.json at ${o.shared}/sweep.json on that volume, then: kubectl apply -f <this file>
# This is submission ${job.metadata!.name}; emit again for a new one (the name must not repeat).
# Afterwards: lab sweep merge <the volume's bundles folder>
${YAML.stringify(job)}`
}
