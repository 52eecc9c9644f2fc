/**
 * Bundles of sweep cells merged into a fresh log, on the real engine and a real SQLite log: two
 * "task" logs train a cnn-small each and attack it (ids 1 and 2 there), as two runs of one cell of
 * a sweep. Merging into a log whose run 1 is some other model must point the attack at the
 * imported model, link it to the built-in MNIST so it can be attacked again, replace the earlier
 * result of the re-run cell (n stays 1), report a damaged bundle and still import the rest.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { finished, testLab } from '../../support/lab'
import { tempDir } from '../../support/temp'
import { mergeBundles } from '../../../src-main/lab/sweeps/merge'
import { main } from '../../../src-main/cli/main'
import { STAGING_DIR } from '../../../src-main/lab/store/export/bundle-staging'
import type { BundleCell } from '../../../src-main/api/log'
import { createRun } from '../../../src-main/lab/store/runs'

type Lab = ReturnType<typeof testLab>
const labs: Lab[] = []
const t = tempDir('bundle-merge')
const bundles = path.join(t.dir, 'bundles')
const cell: BundleCell = { sweepId: 'cnn-sweep-1f2e', index: 0, configHash: 'cell0hash' }
const model = {
  dataset: 'mnist',
  subset: { train: 256, test: 64 },
  model: { arch: 'cnn-small' },
  optimizer: { kind: 'sgd', lr: 0.05 },
  epochs: 1,
  batchSize: 64,
  seed: 3
} as const

function open(label: string): Lab {
  const l = testLab(label)
  labs.push(l)
  return l
}

/** One cluster task: trains the cell's model, attacks it, writes the cell's bundle. */
async function task(file: string): Promise<{ modelId: number; attackId: number }> {
  const lab = open('bundle-merge-task')
  const trained = await finished(lab.api, (await lab.api.request('train.start', model)).id)
  expect(trained.status).toBe('completed')
  const attack = await lab.api.request('sweep.start', {
    runIds: [trained.id],
    attacks: [{ attack: 'fgsm', settings: {} }],
    epsilons: [0.1],
    n: 32
  })
  expect((await finished(lab.api, attack.id)).status).toBe('completed')
  await lab.api.request('export.bundle', { ids: [trained.id, attack.id], path: path.join(bundles, file), cell })
  return { modelId: trained.id, attackId: attack.id }
}

let first: { modelId: number; attackId: number }
beforeAll(async () => {
  fs.mkdirSync(bundles, { recursive: true })
  first = await task('a-cell-0000.advlab.zip')
  // The re-run of the same cell, later, on another node (its own log, its own uids).
  await task('b-cell-0000-rerun.advlab.zip')
}, 300_000)
afterAll(async () => {
  for (const l of labs) await l.close()
  t.cleanup()
})

const liveRuns = (lab: Lab, kind: string): Array<{ id: number; config_json: string; dataset_id: number | null }> =>
  lab.lab.ctx.db
    .prepare('SELECT id, config_json, dataset_id FROM runs WHERE kind = ? AND deleted_at IS NULL ORDER BY id')
    .all(kind) as never

describe('merging bundles of sweep cells', () => {
  it("points an attack at the imported model's id, not at the run its old id names here", async () => {
    const merged = open('bundle-merge-ids')
    // Run 1 of the merge log is some other model: the attack's old target id (1) names it here.
    createRun(merged.lab.ctx.db, { name: 'an mlp', kind: 'train', config: { dataset: 'mnist', model: { arch: 'mlp' } }, seed: 0 })
    expect(first.modelId).toBe(1)
    await merged.api.request('import.bundle', { path: path.join(bundles, 'a-cell-0000.advlab.zip') })
    const modelId = liveRuns(merged, 'train').at(-1)!.id
    expect(modelId).not.toBe(1)
    const [attack] = liveRuns(merged, 'sweep')
    const config = JSON.parse(attack.config_json) as { runIds: number[]; targetRunIds: number[] }
    expect(config.runIds).toEqual([modelId])
    expect(config.targetRunIds).toEqual([modelId])
  })

  it('links merged models to the built-in MNIST, so a new attack on a merged model runs', async () => {
    const merged = open('bundle-merge-datasets')
    await merged.api.request('import.bundle', { path: path.join(bundles, 'a-cell-0000.advlab.zip') })
    const [m] = liveRuns(merged, 'train')
    expect(m.dataset_id).not.toBeNull()
    const again = await merged.api.request('attack.start', { runId: m.id, attack: 'fgsm', epsilon: 0.1, n: 16 })
    const done = await finished(merged.api, again.id)
    expect(done.error).toBeNull()
    expect(done.status).toBe('completed')
  }, 120_000)

  it('replaces the earlier result of a re-run cell instead of adding a repeat (n stays 1), idempotently', async () => {
    const merged = open('bundle-merge-rerun')
    const report = await mergeBundles(merged.api, bundles)
    expect(report).toMatchObject({ bundles: 2, imported: 4, replaced: 2, failed: [] })
    const models = liveRuns(merged, 'train').map((r) => r.id)
    expect(models).toHaveLength(1)
    const table = await merged.api.request('results.table', { ids: models })
    expect(table.rows).toHaveLength(1)
    expect(table.rows[0].cells.filter((c) => c !== null).map((c) => c!.n)).toEqual(
      table.rows[0].cells.filter((c) => c !== null).map(() => 1)
    )
    // The earlier result is in the trash, not gone.
    expect((await merged.api.request('trash.list', {})).map((e) => e.name).sort()).toHaveLength(2)
    const again = await mergeBundles(merged.api, bundles)
    expect(again).toMatchObject({ imported: 0, skipped: 4, replaced: 0, failed: [] })
    expect(liveRuns(merged, 'train').map((r) => r.id)).toEqual(models)
  })

  it('reports a damaged bundle by name and imports the bundles after it', async () => {
    const folder = path.join(t.dir, 'with-damage')
    fs.mkdirSync(folder)
    const whole = fs.readFileSync(path.join(bundles, 'a-cell-0000.advlab.zip'))
    fs.writeFileSync(path.join(folder, 'a-damaged.advlab.zip'), whole.subarray(0, whole.length >> 1))
    fs.copyFileSync(path.join(bundles, 'a-cell-0000.advlab.zip'), path.join(folder, 'b-good.advlab.zip'))
    const merged = open('bundle-merge-damage')
    const report = await mergeBundles(merged.api, folder)
    expect(report.imported).toBe(2)
    expect(report.failed).toHaveLength(1)
    expect(report.failed[0].bundle).toBe(path.join(folder, 'a-damaged.advlab.zip'))
    expect(report.failed[0].error).toMatch(
      /a-damaged\.advlab\.zip cannot be imported: it is not a complete zip archive.*Nothing was imported/
    )
  })
})

describe('lab sweep merge', () => {
  it('names each bundle it could not import, imports the rest and exits 1', async () => {
    const folder = path.join(t.dir, 'cli-damage')
    fs.mkdirSync(folder)
    fs.writeFileSync(path.join(folder, 'a-cell-0000.advlab.zip'), 'not a zip at all')
    fs.copyFileSync(path.join(bundles, 'a-cell-0000.advlab.zip'), path.join(folder, 'b-cell-0000.advlab.zip'))
    const printed: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => (printed.push(String(text)), true))
    let code: number
    try {
      code = await main(['sweep', 'merge', folder, '--data-dir', path.join(t.dir, 'cli-merged')])
    } finally {
      write.mockRestore()
    }
    expect(code).toBe(1)
    const text = printed.join('')
    expect(text).toContain('Merged 1 of 2 bundle(s): 2 run(s) imported, 0 already here.')
    expect(text).toContain(
      `Not imported: ${path.join(folder, 'a-cell-0000.advlab.zip')} cannot be imported: it is not a complete zip archive`
    )
  }, 120_000)
})

describe('a failed or killed import leaves nothing half-placed', () => {
  const listing = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).sort()

  it('a log transaction that fails late leaves no imported/<uid>/ folder and no staged file', async () => {
    const merged = open('bundle-merge-late')
    const db = merged.lab.ctx.db
    await merged.api.request('datasets.list', {}) // the built-ins, which an import registers first
    const before = listing(merged.dataDir)
    // The last insert of the import fails, as a full disk would.
    db.exec("CREATE TEMP TRIGGER full_disk BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    await expect(merged.api.request('import.bundle', { path: path.join(bundles, 'a-cell-0000.advlab.zip') })).rejects.toThrow(
      /cannot be imported: database or disk is full\. Nothing was imported/
    )
    db.exec('DROP TRIGGER full_disk')
    expect(listing(merged.dataDir)).toEqual(before)
    expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(0)
  })

  it('finishes an import killed after its commit (files moved in) and drops one killed before it', async () => {
    const merged = open('bundle-merge-killed')
    const db = merged.lab.ctx.db
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number
    const r = await merged.api.request('import.bundle', { path: path.join(bundles, 'a-cell-0000.advlab.zip') })
    const art = db
      .prepare('SELECT a.path FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE r.uid = ? LIMIT 1')
      .get(r.imported[0].uid) as { path: string }
    // Killed after the commit: the run is in the log, its weights still in staging.
    const weights = path.join(merged.dataDir, art.path)
    const after = path.join(merged.dataDir, STAGING_DIR, `${dead}-aaaa`)
    fs.mkdirSync(after, { recursive: true })
    fs.renameSync(weights, path.join(after, '0.part'))
    fs.writeFileSync(path.join(after, 'plan.json'), JSON.stringify([{ from: '0.part', to: art.path, uid: r.imported[0].uid }]))
    // Killed before the commit: a staged file whose run never reached the log.
    const before = path.join(merged.dataDir, STAGING_DIR, `${dead}-bbbb`)
    fs.mkdirSync(before, { recursive: true })
    fs.writeFileSync(path.join(before, '0.part'), 'weights of a run that never was')
    fs.writeFileSync(
      path.join(before, 'plan.json'),
      JSON.stringify([{ from: '0.part', to: 'imported/0000-never/w.bin', uid: '0000-never' }])
    )
    await merged.api.request('import.bundle', { path: path.join(bundles, 'a-cell-0000.advlab.zip') })
    expect(fs.existsSync(weights)).toBe(true)
    expect(fs.existsSync(path.join(merged.dataDir, 'imported/0000-never'))).toBe(false)
    // Both dead imports' staging folders are gone (the staging root itself stays, empty).
    expect(fs.readdirSync(path.join(merged.dataDir, STAGING_DIR))).toEqual([])
  })
})
