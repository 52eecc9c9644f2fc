/**
 * The emitted Slurm scripts are what sbatch reads: #SBATCH directives before the first command,
 * --key=value with paths double-quoted (a space in the shared path is fine), an array of at most
 * MaxArraySize tasks per script (a larger sweep is several scripts, each knowing its first cell), and
 * the GPU only when asked for. Each script is run here by bash as a Slurm task would run it.
 * (That real sbatch accepts them is test/integration/sweeps/slurm.test.ts.)
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseSweepFile } from '../../../src-main/lab/sweeps/sweep-file'
import { emitDefaults, slurmTimeSeconds } from '../../../src-main/lab/sweeps/emit'
import { arrayChunks, DEFAULT_MAX_ARRAY_SIZE, slurmPathProblem, slurmScripts } from '../../../src-main/lab/sweeps/slurm'
import { tempDir } from '../../support/temp'

const base = { dataset: 'mnist', model: { arch: 'mlp' }, optimizer: { kind: 'sgd', lr: 0.1 }, epochs: 1 }
const sweep = parseSweepFile({ name: 'Seed: MNIST / lr sweep!', base, grid: { seed: [1, 2, 3], 'optimizer.lr': [0.1, 0.01] } })
const t = tempDir('slurm-emit')
afterAll(() => t.cleanup())
const options = { ...emitDefaults(), shared: '/shared/advlab', parallel: 4, partition: 'gpu' }

/** The #SBATCH directives as sbatch reads them: only before the first command, a quoted value unquoted. */
function directives(script: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of script.split('\n').slice(1)) {
    if (line.trim() === '' || (line.startsWith('#') && !line.startsWith('#SBATCH'))) continue
    if (!line.startsWith('#SBATCH')) break
    const m = /^#SBATCH --([a-z-]+)=(?:"([^"]*)"|(\S+))$/.exec(line)
    expect(m, `directive "${line}"`).not.toBeNull()
    out[m![1]] = m![2] ?? m![3]
  }
  return out
}

/** Runs a script as Slurm would run array task `task`, with `echo` standing in for the lab CLI. */
function runTask(script: string, task: number, _shared: string): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(t.dir, `task-${task}.slurm`)
  fs.writeFileSync(file, script)
  return spawnSync('bash', [file], {
    encoding: 'utf8',
    env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task), SLURM_JOB_ID: '77', TMPDIR: t.dir, ADVLAB_LAB: 'echo' }
  })
}

describe('Slurm array script', () => {
  const [only] = slurmScripts(sweep, 6, options)
  it('asks for one array task per cell (throttled by --parallel) and the resources given', () => {
    expect(only.script.startsWith('#!/bin/bash\n')).toBe(true)
    expect(only.file).toBe('advlab-seed-mnist-lr-sweep.slurm')
    expect(directives(only.script)).toMatchObject({
      'job-name': 'advlab-seed-mnist-lr-sweep',
      array: '0-5%4',
      'cpus-per-task': '4',
      mem: '16G',
      time: '24:00:00',
      partition: 'gpu'
    })
    expect(directives(only.script).output).toBe('/shared/advlab/logs/%x-%A_%a.out')
  })

  it('asks for no GPU and the wasm engine by default; --gpus asks for both', () => {
    expect(directives(only.script).gres).toBeUndefined()
    expect(only.script).toContain('export ADVLAB_BACKEND="${ADVLAB_BACKEND:-wasm}"')
    const [gpu] = slurmScripts(sweep, 6, { ...emitDefaults(2), shared: '/shared/advlab' })
    expect(directives(gpu.script).gres).toBe('gpu:2')
    expect(gpu.script).toContain('export ADVLAB_BACKEND="${ADVLAB_BACKEND:-tensorflow-gpu}"')
  })

  it('quotes a shared path with a space in the directives and in the commands; bash runs the task', () => {
    const shared = path.join(t.dir, 'shared with space')
    const [s] = slurmScripts(sweep, 6, { ...options, shared })
    expect(directives(s.script).output).toBe(`${shared}/logs/%x-%A_%a.out`)
    expect(directives(s.script).error).toBe(`${shared}/logs/%x-%A_%a.err`)
    const r = runTask(s.script, 3, shared)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(`sweep cell ${shared}/sweep.json --index 3 --out ${shared}/bundles`)
    expect(fs.existsSync(path.join(shared, 'bundles'))).toBe(true)
  })

  it('writes a literal % in the shared path as %%, which Slurm reads back as %', () => {
    expect(directives(slurmScripts(sweep, 6, { ...options, shared: '/shared/100%' })[0].script).output).toBe(
      '/shared/100%%/logs/%x-%A_%a.out'
    )
  })

  it('refuses a shared path sbatch cannot carry, or one that is not absolute, naming --shared', () => {
    expect(slurmPathProblem('/shared/a "b"')).toMatch(/^--shared "\/shared\/a "b"" holds a double quote/)
    expect(slurmPathProblem('shared/advlab')).toMatch(/^--shared must be an absolute path/)
    expect(slurmPathProblem('/shared/my lab')).toBeNull()
  })
})

describe('a sweep larger than MaxArraySize', () => {
  it('is split into array jobs of at most MaxArraySize tasks (Slurm’s default 1001: indices 0–1000)', () => {
    expect(DEFAULT_MAX_ARRAY_SIZE).toBe(1001)
    expect(arrayChunks(1200, 1001)).toEqual([
      { first: 0, count: 1001 },
      { first: 1001, count: 199 }
    ])
    expect(arrayChunks(1001, 1001)).toEqual([{ first: 0, count: 1001 }])
    expect(arrayChunks(5, 2)).toEqual([
      { first: 0, count: 2 },
      { first: 2, count: 2 },
      { first: 4, count: 1 }
    ])
  })

  it('1,200 cells: two scripts whose arrays stay within 0–1000, and the second one’s task 5 runs cell 1006', () => {
    const big = parseSweepFile({
      name: 'big',
      base,
      grid: { seed: Array.from({ length: 400 }, (_, i) => i), 'optimizer.lr': [0.1, 0.03, 0.01] }
    })
    const scripts = slurmScripts(big, 1200, { ...options, parallel: 0 })
    expect(scripts.map((s) => [s.file, directives(s.script).array])).toEqual([
      ['advlab-big.cells-0-1000.slurm', '0-1000'],
      ['advlab-big.cells-1001-1199.slurm', '0-198']
    ])
    const shared = path.join(t.dir, 'big')
    const second = slurmScripts(big, 1200, { ...options, parallel: 0, shared })[1]
    const r = runTask(second.script, 5, shared)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe(`sweep cell ${shared}/sweep.json --index 1006 --out ${shared}/bundles`)
  })
})

describe('Slurm times', () => {
  it('reads every format sbatch --time takes, in seconds', () => {
    expect(slurmTimeSeconds('30')).toBe(30 * 60)
    expect(slurmTimeSeconds('30:15')).toBe(30 * 60 + 15)
    expect(slurmTimeSeconds('24:00:00')).toBe(86_400)
    expect(slurmTimeSeconds('2-12')).toBe(2 * 86_400 + 12 * 3600)
    expect(slurmTimeSeconds('1-02:03')).toBe(86_400 + 2 * 3600 + 3 * 60)
    expect(slurmTimeSeconds('1-02:03:04')).toBe(86_400 + 2 * 3600 + 3 * 60 + 4)
    expect(slurmTimeSeconds('1.5h')).toBeNull()
    expect(slurmTimeSeconds('')).toBeNull()
  })
})
