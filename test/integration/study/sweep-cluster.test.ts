/**
 * A sweep beyond one machine, run here: `lab sweep emit` writes the Slurm array script; two of its
 * tasks run as plain processes (each with its own log, as on two nodes) and leave bundles in the
 * shared folder; `lab sweep merge` imports them (twice: nothing duplicates). The comparison of the
 * merged runs equals the comparison of the same sweep run in-app (every cell in one log).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { testLab } from '../../support/lab'
import { tempDir } from '../../support/temp'
import { parseSweepFile } from '../../../src-main/lab/sweeps/sweep-file'
import { runSweepLocally } from '../../../src-main/lab/sweeps/run-cell'

const root = path.resolve(__dirname, '../../..')
const LAB = `${process.execPath} ${path.join(root, 'bin/lab.mjs')}`
const t = tempDir('sweep-cluster')
afterAll(() => t.cleanup())

const sweepJson = {
  name: 'two cells',
  base: {
    dataset: 'mnist',
    subset: { train: 400, test: 100 },
    model: { arch: 'mlp' },
    optimizer: { kind: 'sgd', lr: 0.1 },
    epochs: 1,
    batchSize: 50
  },
  grid: { seed: [1, 2] },
  evaluate: { attacks: [{ attack: 'fgsm' }], epsilons: [0.1, 0.2], n: 60 }
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: t.dir,
      env: { ...process.env, ADVLAB_BACKEND: 'wasm', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', (code) => resolve({ code, out }))
  })
}
const lab = (args: string[]) => run(process.execPath, [path.join(root, 'bin/lab.mjs'), ...args])

async function tableOf(api: ReturnType<typeof testLab>['api'], ids: number[]) {
  const table = await api.request('export.table', { ids, format: 'md' })
  const cmp = await api.request('runs.compare', { ids, metrics: [], agreement: false })
  return {
    text: table.text,
    cells: cmp.evaluations.map((e) => ({ attack: e.attack, epsilon: e.epsilon, accuracy: e.accuracy, n: e.n })),
    names: cmp.runs.map((r) => r.name)
  }
}

describe('lab sweep emit → tasks as processes → lab sweep merge', () => {
  it('gives the same comparison as the sweep run in-app', async () => {
    const file = path.join(t.dir, 'sweep.json')
    fs.writeFileSync(file, JSON.stringify(sweepJson))
    const cluster = path.join(t.dir, 'cluster')
    const emitted = await lab(['sweep', 'emit', file, '--target', 'slurm', '--out', cluster, '--gpus', '0'])
    expect(emitted.code, emitted.out).toBe(0)
    const script = path.join(cluster, 'advlab-two-cells.slurm')
    expect(fs.existsSync(path.join(cluster, 'sweep.json'))).toBe(true)

    // Two array tasks, at the same time, as plain processes with their own data directories.
    const tasks = await Promise.all(
      [0, 1].map((i) =>
        run('bash', [script], { SLURM_ARRAY_TASK_ID: String(i), ADVLAB_LAB: LAB, ADVLAB_TASK_DATA_DIR: path.join(t.dir, `task-${i}`) })
      )
    )
    for (const task of tasks) expect(task.code, task.out).toBe(0)
    const bundles = fs.readdirSync(path.join(cluster, 'bundles')).sort()
    expect(bundles).toEqual(['advlab-two-cells-cell-0000.advlab.zip', 'advlab-two-cells-cell-0001.advlab.zip'])

    const mergedDir = path.join(t.dir, 'merged')
    const first = await lab(['sweep', 'merge', path.join(cluster, 'bundles'), '--json', '--data-dir', mergedDir])
    expect(first.code, first.out).toBe(0)
    expect(JSON.parse(first.out)).toMatchObject({ bundles: 2, imported: 4, skipped: 0 })
    const again = await lab(['sweep', 'merge', path.join(cluster, 'bundles'), '--json', '--data-dir', mergedDir])
    expect(JSON.parse(again.out)).toMatchObject({ imported: 0, skipped: 4 })

    const merged = testLab('sweep-merged', mergedDir)
    const inApp = testLab('sweep-in-app')
    try {
      const results = await runSweepLocally(inApp.api, parseSweepFile(sweepJson), 2)
      expect(results.every((r) => r.ok)).toBe(true)
      const local = await tableOf(
        inApp.api,
        results.map((r) => r.modelRunId!)
      )
      const models = (await merged.api.request('runs.select', { kind: 'train' })).sort((a, b) => a.name.localeCompare(b.name))
      const remote = await tableOf(
        merged.api,
        models.map((r) => r.id)
      )
      expect(remote.names).toEqual(['two cells · seed=1', 'two cells · seed=2'])
      expect(remote.names).toEqual(local.names)
      expect(remote.cells.map((c) => [c.attack, c.epsilon])).toEqual([
        ['clean', 0],
        ['fgsm', 0.1],
        ['fgsm', 0.2]
      ])
      expect(remote.cells).toEqual(local.cells)
      expect(remote.text).toBe(local.text)

      // A custom study saved from the merged comparison: a grid over seeds only is two repeats of one
      // config, so one row of n = 2 whose cells are the mean of both runs, at both ε.
      const study = await merged.api.request('studies.save-from-runs', { name: 'merged sweep', runIds: models.map((r) => r.id) })
      const { report, text } = await merged.api.request('studies.report', { id: study.id, format: 'md' })
      expect(report.plan.epsilons).toEqual([0.1, 0.2])
      expect(report.rows).toHaveLength(1)
      expect(report.rows[0].fgsm[0]?.n).toBe(2)
      expect(report.rows[0].fgsm[0]?.mean).toBeCloseTo((remote.cells[1].accuracy[0]! + remote.cells[1].accuracy[1]!) / 2, 12)
      expect(text).toContain('| FGSM (ε=0.1) | FGSM (ε=0.2) |')
    } finally {
      await inApp.close()
      await merged.lab.close()
    }
  }, 900_000)
})
