/**
 * The emitted Kubernetes manifest is a batch/v1 Job that Kubernetes' own schema accepts (validated
 * with kubernetes-models, generated from Kubernetes' OpenAPI definitions), in Indexed mode with one
 * completion per cell, retried per cell instead of per Job, each pod bounded by --time, a pull
 * policy, a name that differs between submissions, and no GPU unless asked for.
 */
import YAML from 'yaml'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { describe, expect, it } from 'vitest'
import { parseSweepFile } from '../../../src-main/lab/sweeps/sweep-file'
import { emitDefaults, jobName } from '../../../src-main/lab/sweeps/emit'
import { kubernetesManifest, submissionSuffix } from '../../../src-main/lab/sweeps/kubernetes'

const base = { dataset: 'mnist', model: { arch: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 }
const sweep = parseSweepFile({ name: 'Seed: MNIST / lr sweep!', base, grid: { seed: [1, 2, 3], 'optimizer.lr': [0.1, 0.01] } })
const options = { ...emitDefaults(), shared: '/shared/advlab', parallel: 4 }
const text = kubernetesManifest(sweep, 6, options, 'abc12345')
const manifest = YAML.parse(text)
const container = () => manifest.spec.template.spec.containers[0]

/** The schema's verdict on a manifest: null when valid, else the validator's message. */
function schemaProblem(m: unknown): string | null {
  try {
    new Job(m as ConstructorParameters<typeof Job>[0]).validate()
    return null
  } catch (error) {
    return (error as Error).message
  }
}

describe('Kubernetes Indexed Job', () => {
  it('passes the batch/v1 Job schema (and the validator does refuse a broken one)', () => {
    expect(schemaProblem(manifest)).toBeNull()
    expect(schemaProblem(YAML.parse(kubernetesManifest(sweep, 6, { ...emitDefaults(1), shared: '/shared/advlab' }, 'abc12345')))).toBeNull()
    expect(schemaProblem({ ...manifest, spec: { ...manifest.spec, completions: '6' } })).toMatch(/completions must be integer/)
  })

  it('is a batch/v1 Job in Indexed completion mode with one completion per cell', () => {
    expect(manifest).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' })
    expect(manifest.spec).toMatchObject({ completionMode: 'Indexed', completions: 6, parallelism: 4 })
    expect(manifest.spec.template.spec.restartPolicy).toBe('Never')
  })

  it('retries each cell once on its own, and lets the other cells finish when one fails', () => {
    expect(manifest.spec.backoffLimitPerIndex).toBe(1)
    expect(manifest.spec.maxFailedIndexes).toBe(6)
    expect(manifest.spec).not.toHaveProperty('backoffLimit')
  })

  it('bounds each pod by --time (its activeDeadlineSeconds), as Slurm bounds each task', () => {
    expect(manifest.spec.template.spec.activeDeadlineSeconds).toBe(86_400)
    const m = YAML.parse(kubernetesManifest(sweep, 6, { ...options, time: '1-02:03:04' }, 'abc12345'))
    expect(m.spec.template.spec.activeDeadlineSeconds).toBe(93_784)
    expect(() => kubernetesManifest(sweep, 6, { ...options, time: 'soon' }, 'abc12345')).toThrow('--time "soon" is not a Slurm time')
  })

  it('names a pull policy that works for an image built on the nodes (IfNotPresent by default)', () => {
    expect(container().imagePullPolicy).toBe('IfNotPresent')
    expect(
      YAML.parse(kubernetesManifest(sweep, 6, { ...options, pullPolicy: 'Always' }, 'abc12345')).spec.template.spec.containers[0]
        .imagePullPolicy
    ).toBe('Always')
  })

  it('asks for no GPU by default: the CPU image and the wasm engine', () => {
    expect(container().image).toBe('advlab:latest')
    expect(container().env).toContainEqual({ name: 'ADVLAB_BACKEND', value: 'wasm' })
    expect(container().resources.limits).not.toHaveProperty('nvidia.com/gpu')
    expect(container().resources.requests).toEqual({ cpu: '4', memory: '16Gi' })
  })

  it('with --gpus: the GPU image, the tensorflow-gpu engine and the GPU limit', () => {
    const gpu = YAML.parse(kubernetesManifest(sweep, 6, { ...emitDefaults(2), shared: '/shared/advlab' }, 'abc12345')).spec.template.spec
      .containers[0]
    expect(gpu.image).toBe('advlab:gpu')
    expect(gpu.env).toContainEqual({ name: 'ADVLAB_BACKEND', value: 'tensorflow-gpu' })
    expect(gpu.resources.limits['nvidia.com/gpu']).toBe('2')
  })

  it('runs the CLI on the cell named by JOB_COMPLETION_INDEX, on the shared volume', () => {
    expect(container().command).toEqual(['lab', 'sweep', 'cell', '/shared/advlab/sweep.json', '--out', '/shared/advlab/bundles'])
    expect(container().command).not.toContain('--index') // the pod's JOB_COMPLETION_INDEX picks the cell
    expect(container().volumeMounts).toEqual([{ name: 'shared', mountPath: '/shared/advlab' }])
    expect(manifest.spec.template.spec.volumes).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'advlab-shared' } }])
  })

  it('states that the claim must be ReadWriteMany', () => {
    expect(text).toMatch(/^# The claim "advlab-shared" must be ReadWriteMany/m)
  })

  it('has a name per submission (the sweep’s name and a suffix), a DNS label even for the longest sweep name', () => {
    expect(manifest.metadata.name).toBe(`${jobName(sweep)}-abc12345`)
    expect(manifest.metadata.labels['advlab/sweep']).toBe(jobName(sweep))
    const a = submissionSuffix(1_800_000_000_000, 0.1)
    const b = submissionSuffix(1_800_000_000_000, 0.9)
    const c = submissionSuffix(1_800_000_001_000, 0.1)
    expect(new Set([a, b, c]).size).toBe(3)
    const long = parseSweepFile({ name: 'x'.repeat(120), base })
    const name = YAML.parse(kubernetesManifest(long, 1, options, submissionSuffix())).metadata.name
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
  })
})
