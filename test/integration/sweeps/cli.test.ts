/**
 * `lab sweep` from the terminal, as a user on a cluster's login node meets it:
 *  - emit makes the folders Slurm opens before any task runs (logs/, and bundles/) and prints
 *    submit lines that work as printed, even for a shared path with a space;
 *  - a sweep beyond MaxArraySize is emitted as several array jobs, each submitted by its own line;
 *  - fractional resources are refused naming the flag and the value, and nothing is written;
 *  - a sweep naming an unknown attack is refused by emit, cell and local alike before anything is
 *    written or trained, naming the file, the field and the value;
 *  - a cell whose evaluation is refused after its model trained still writes its bundle, and the
 *    trained model comes back out of it, with the cell and the error;
 *  - a cell run again (on another node, a fresh log) is merged as a re-run of that cell: its bundle
 *    replaces the earlier result instead of adding a repeat.
 */
import { spawnSync } from 'node:child_process'
import YAML from 'yaml'
import { Job } from 'kubernetes-models/batch/v1/Job'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { testLab } from '../../support/lab'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')
const t = tempDir('sweep-cli')
afterAll(() => t.cleanup())
const dataDir = path.join(t.dir, 'data')
const labIn = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin/lab.mjs'), ...args, '--data-dir', dir], {
    encoding: 'utf8',
    env: { ...process.env, ADVLAB_BACKEND: 'wasm' },
    timeout: 600_000
  })
const lab = (...args: string[]) => labIn(dataDir, ...args)

const base = {
  dataset: 'mnist',
  subset: { train: 200, test: 60 },
  model: { arch: 'mlp' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  epochs: 1,
  batchSize: 50
}
function sweepFile(name: string, sweep: Record<string, unknown>): string {
  const file = path.join(t.dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify({ name, base, ...sweep }))
  return file
}

describe('lab sweep emit --target slurm', () => {
  it('creates <shared>/logs and <shared>/bundles before submission and prints the sbatch line, quoted', () => {
    const out = path.join(t.dir, 'cluster with space')
    const r = lab(
      'sweep',
      'emit',
      sweepFile('two', { grid: { seed: [1, 2] } }),
      '--target',
      'slurm',
      '--out',
      out,
      '--max-array-size',
      '1001'
    )
    expect(r.status, r.stderr).toBe(0)
    expect(fs.statSync(path.join(out, 'logs')).isDirectory()).toBe(true)
    expect(fs.statSync(path.join(out, 'bundles')).isDirectory()).toBe(true)
    expect(r.stdout).toContain(`\n  sbatch '${out}/advlab-two.slurm'\n`)
    expect(r.stdout).toContain(`Then merge the results: lab sweep merge '${out}/bundles'`)
  })

  it('splits 1,200 cells into two array jobs within MaxArraySize, one sbatch line each', () => {
    const out = path.join(t.dir, 'big')
    const r = lab(
      'sweep',
      'emit',
      sweepFile('big', { grid: { seed: Array.from({ length: 400 }, (_, i) => i), 'optimizer.lr': [0.1, 0.03, 0.01] } }),
      '--target',
      'slurm',
      '--out',
      out,
      '--max-array-size',
      '1001',
      '--json'
    )
    expect(r.status, r.stderr).toBe(0)
    const emitted = JSON.parse(r.stdout)
    expect(emitted.cells).toBe(1200)
    expect(emitted.submit).toEqual([`sbatch ${out}/advlab-big.cells-0-1000.slurm`, `sbatch ${out}/advlab-big.cells-1001-1199.slurm`])
    expect(fs.readFileSync(path.join(out, 'advlab-big.cells-1001-1199.slurm'), 'utf8')).toContain('#SBATCH --array=0-198\n')
  })

  it.each([
    ['cpus', '1.5'],
    ['mem', '0.5'],
    ['gpus', '1.5'],
    ['cpus', '0']
  ])('refuses --%s %s naming the flag and the value, writing nothing', (flag, value) => {
    const out = path.join(t.dir, `refused-${flag}-${value}`)
    const r = lab('sweep', 'emit', sweepFile('two', { grid: { seed: [1, 2] } }), '--target', 'slurm', '--out', out, `--${flag}`, value)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`--${flag} must be a whole number ≥ ${flag === 'cpus' ? 1 : flag === 'mem' ? 1 : 0}, not "${value}"`)
    expect(fs.existsSync(out)).toBe(false)
  })
})

describe('lab sweep emit --target k8s', () => {
  it('names each submission anew, so a second apply starts a second Job; the manifest passes the Job schema', () => {
    const file = sweepFile('two', { grid: { seed: [1, 2] } })
    const names = [1, 2].map((i) => {
      const out = path.join(t.dir, `k8s-${i}`)
      const r = lab('sweep', 'emit', file, '--target', 'k8s', '--out', out, '--shared', '/shared/advlab', '--json')
      expect(r.status, r.stderr).toBe(0)
      const manifest = YAML.parse(fs.readFileSync(JSON.parse(r.stdout).paths[0], 'utf8'))
      new Job(manifest).validate()
      expect(manifest.spec.template.spec.containers[0].resources.limits).toEqual({ memory: '16Gi' })
      return manifest.metadata.name as string
    })
    expect(names[0]).toMatch(/^advlab-two-[0-9a-z]{10}$/)
    expect(names[1]).not.toBe(names[0])
  })
})

describe('a sweep naming an unknown attack', () => {
  const file = sweepFile('typo', { grid: { seed: [1, 2] }, evaluate: { attacks: [{ attack: 'pgd-typo' }], epsilons: [0.1], n: 20 } })
  const refusal = `${file}: evaluate.attacks.0: There is no attack "pgd-typo"`

  it.each([
    ['emit', ['--target', 'slurm', '--out', path.join(t.dir, 'typo-emit')]],
    ['cell', ['--index', '0', '--out', path.join(t.dir, 'typo-cell')]],
    ['local', []]
  ])('is refused by `lab sweep %s` before anything is written or trained', (command, args) => {
    const r = lab('sweep', command, file, ...args)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(refusal)
    for (const dir of ['typo-emit', 'typo-cell']) expect(fs.existsSync(path.join(t.dir, dir))).toBe(false)
    const runs = lab('runs', '--json')
    expect(runs.status, runs.stderr).toBe(0)
    expect(JSON.parse(runs.stdout)).toEqual([])
  })
})

describe('a cell that fails after its model trained', () => {
  it('still writes its bundle, and the trained model comes back out of it', async () => {
    // L2 ε = 30 is beyond √(28·28·1) ≈ 28: only the trained model's dataset tells, so sweep.start
    // refuses it after training, as it would any evaluation failing on a node.
    const file = sweepFile('too far', { evaluate: { attacks: [{ attack: 'fgsm' }], norm: 'L2', epsilons: [30], n: 20 } })
    const out = path.join(t.dir, 'failed-cell')
    const r = lab('sweep', 'cell', file, '--index', '0', '--out', out, '--json')
    expect(r.status, r.stderr).toBe(1)
    const cell = JSON.parse(r.stdout)
    expect(cell).toMatchObject({ ok: false, evalRunId: null, runIds: [cell.modelRunId] })
    expect(cell.error).toMatch(/^starting the evaluation of run \d+: .*30.*outside/)
    const bundle = path.join(out, 'advlab-too-far-cell-0000.advlab.zip')
    expect(cell.bundle).toMatchObject({ path: bundle, runs: 1 })

    const fresh = testLab('sweep-failed-cell')
    try {
      const imported = await fresh.api.request('import.bundle', { path: bundle })
      expect(imported.imported).toHaveLength(1)
      const [model] = await fresh.api.request('runs.select', { kind: 'train' })
      expect(model).toMatchObject({ name: 'too far · single cell', status: 'completed' })
      // The bundle says which cell it is and why it failed.
      const recorded = fresh.lab.ctx.db.prepare('SELECT run_id, sweep_id, cell_index, config_hash, error FROM sweep_cells').all()
      expect(recorded).toEqual([
        { run_id: model.id, sweep_id: 'too far', cell_index: 0, config_hash: expect.stringMatching(/^[0-9a-f]{16}$/), error: cell.error }
      ])
    } finally {
      await fresh.close()
    }
  }, 600_000)
})

describe('a cell run twice, as when a failed task is resubmitted', () => {
  it('is merged as a re-run: the second bundle replaces the first cell result, not a second repeat', async () => {
    const file = sweepFile('rerun', { grid: { seed: [1, 2] } })
    const bundles = [1, 2].map((attempt) => {
      const out = path.join(t.dir, `rerun-${attempt}`)
      const r = labIn(path.join(t.dir, `rerun-node-${attempt}`), 'sweep', 'cell', file, '--index', '1', '--out', out, '--json')
      expect(r.status, r.stderr).toBe(0)
      return JSON.parse(r.stdout).bundle.path as string
    })
    const merged = testLab('sweep-rerun')
    try {
      const first = await merged.api.request('import.bundle', { path: bundles[0] })
      const second = await merged.api.request('import.bundle', { path: bundles[1] })
      expect(second.imported).toHaveLength(1)
      expect(second.replaced.map((r) => r.uid)).toEqual(first.imported.map((r) => r.uid))
      const models = await merged.api.request('runs.select', { kind: 'train' })
      expect(models.map((m) => [m.id, m.name])).toEqual([[second.imported[0].id, 'rerun · seed=2']])
    } finally {
      await merged.close()
    }
  }, 600_000)
})
