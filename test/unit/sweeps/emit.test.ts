/**
 * The emitted cluster files are valid: the Slurm script's #SBATCH directives come before the first
 * command, parse as --key=value, and ask for an array of exactly one task per cell; bash accepts the
 * script; the Kubernetes manifest parses as YAML into an Indexed Job with one completion per cell.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { describe, expect, it } from 'vitest'
import { parseSweepFile } from '../../../src-main/lab/sweeps/sweep-file'
import { DEFAULT_EMIT, jobName, kubernetesManifest, slurmScript } from '../../../src-main/lab/sweeps/emit'
import { tempDir } from '../../support/temp'

const sweep = parseSweepFile({ name: 'Seed: MNIST / lr sweep!', base: { dataset: 'mnist', model: { arch: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 }, grid: { seed: [1, 2, 3], 'optimizer.lr': [0.1, 0.01] } })
const options = { ...DEFAULT_EMIT, shared: '/shared/advlab', parallel: 4, partition: 'gpu' }

/** The #SBATCH directives as Slurm reads them: only before the first command line. */
function directives(script: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of script.split('\n').slice(1)) {
    if (line.trim() === '' || (line.startsWith('#') && !line.startsWith('#SBATCH'))) continue
    if (!line.startsWith('#SBATCH')) break
    const m = /^#SBATCH --([a-z-]+)=(\S+)$/.exec(line)
    expect(m, `directive "${line}"`).not.toBeNull()
    out[m![1]] = m![2]
  }
  return out
}

describe('Slurm array script', () => {
  const script = slurmScript(sweep, 6, options)
  it('asks for one array task per cell (throttled by --parallel) and the resources given', () => {
    expect(script.startsWith('#!/bin/bash\n')).toBe(true)
    const d = directives(script)
    expect(d).toMatchObject({ 'job-name': 'advlab-seed-mnist-lr-sweep', array: '0-5%4', 'cpus-per-task': '4', mem: '16G', time: '24:00:00', gres: 'gpu:1', partition: 'gpu' })
    expect(d.output).toBe('/shared/advlab/logs/%x-%A_%a.out')
  })
  it('runs the headless CLI on the task’s cell with the GPU backend, writing a bundle to the shared folder', () => {
    expect(script).toContain('export ADVLAB_BACKEND="${ADVLAB_BACKEND:-tensorflow-gpu}"')
    expect(script).toContain('sweep cell "${SHARED}/sweep.json" --index "${INDEX}" --out "${SHARED}/bundles"')
    expect(script).toContain('${SLURM_ARRAY_TASK_ID:?')
  })
  it('is a script bash accepts', () => {
    const t = tempDir('slurm')
    try {
      const file = path.join(t.dir, 'job.slurm')
      fs.writeFileSync(file, script)
      const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
    } finally {
      t.cleanup()
    }
  })
  it('drops the GPU request when no GPU is asked for', () => {
    expect(directives(slurmScript(sweep, 6, { ...options, gpus: 0 })).gres).toBeUndefined()
  })
})

describe('Kubernetes Indexed Job', () => {
  const manifest = YAML.parse(kubernetesManifest(sweep, 6, options))
  it('is a batch/v1 Job in Indexed completion mode with one completion per cell', () => {
    expect(manifest).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: jobName(sweep) } })
    expect(manifest.spec).toMatchObject({ completionMode: 'Indexed', completions: 6, parallelism: 4 })
    expect(manifest.spec.template.spec.restartPolicy).toBe('Never')
  })
  it('runs the CLI on the cell named by JOB_COMPLETION_INDEX, on the shared volume, with a GPU', () => {
    const [c] = manifest.spec.template.spec.containers
    expect(c.image).toBe('advlab:latest')
    expect(c.command).toEqual(['lab', 'sweep', 'cell', '/shared/advlab/sweep.json', '--out', '/shared/advlab/bundles'])
    expect(c.command).not.toContain('--index') // the pod's JOB_COMPLETION_INDEX picks the cell
    expect(c.env).toContainEqual({ name: 'ADVLAB_BACKEND', value: 'tensorflow-gpu' })
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1)
    expect(c.volumeMounts).toEqual([{ name: 'shared', mountPath: '/shared/advlab' }])
    expect(manifest.spec.template.spec.volumes).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'advlab-shared' } }])
  })
  it('has a name Kubernetes accepts (DNS label)', () => {
    expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
  })
})
