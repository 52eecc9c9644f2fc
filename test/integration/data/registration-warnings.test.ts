/**
 * A dataset that registers but cannot support the usual experiment says so at registration (a
 * warning note), and an attack, evaluation or sweep on a dataset with no test images is refused
 * when it is launched — not queued to fail later with an offer to "Resume".
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Dataset } from '../../../src-main/api/datasets'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { removeTempDirs, tempDir, writeIdxDataset, writeIdxSplit, writeImage } from '../../unit/data/fixtures'
import { testLab } from '../../support/lab'

const labs: Array<ReturnType<typeof testLab>> = []
afterEach(async () => {
  for (const l of labs.splice(0)) await l.close()
})
afterAll(removeTempDirs)

function lab() {
  const l = testLab('warnings')
  labs.push(l)
  return l
}

const warnings = (dataset: Dataset) => dataset.notes.filter((n) => n.startsWith('Warning:'))

/** A completed model run on `datasetId` with a weights artifact, as a finished training leaves it. */
function modelRun(l: ReturnType<typeof testLab>, datasetId: number): number {
  const db = l.lab.ctx.db
  const id = createRun(db, { datasetId, name: 'model', kind: 'train', config: { dataset: 'x', model: { arch: 'mlp' } }, seed: 0 })
  setRunStatus(db, id, 'completed')
  db.prepare(
    "INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'weights', 'runs/x/weights.bin', 'x', 1, ?)"
  ).run(id, new Date().toISOString())
  return id
}

describe('warnings at registration', () => {
  it('warns that a dataset with no test images cannot be evaluated', async () => {
    const l = lab()
    const dir = tempDir()
    writeIdxSplit(dir, 'train', { n: 12 })
    const { dataset } = await l.api.request('datasets.register', { path: dir, name: 'train only' })
    expect(dataset.splits).toEqual({ train: 12 })
    expect(warnings(dataset)).toContain(
      'Warning: this dataset has no test images, so no model trained on it can be attacked or evaluated. Add the test files (t10k-…, test_batch, test.bin or a test/ folder) next to the train files and register it again.'
    )
  })

  it('warns about a single class, and about classes with no train images', async () => {
    const l = lab()
    const single = tempDir()
    for (const i of [0, 1, 2]) await writeImage(path.join(single, 'train', 'cat', `${i}.png`), i, 4, 5, 1, 'png')
    await writeImage(path.join(single, 'test', 'cat', 't.png'), 9, 4, 5, 1, 'png')
    const one = (await l.api.request('datasets.register', { path: single, name: 'one class' })).dataset
    expect(warnings(one)).toEqual([
      'Warning: this dataset has a single class (cat): a classifier trained on it always answers cat, so accuracy and robustness numbers mean nothing. Add a folder of images for each other class.'
    ])

    const sparse = writeIdxDataset(tempDir(), { train: 4, test: 3 }).dir
    const four = (await l.api.request('datasets.register', { path: sparse, name: 'four labels' })).dataset
    const empty = four.classCounts.train.map((c, i) => (c === 0 ? four.classes[i] : null)).filter((c) => c !== null)
    expect(empty.length).toBeGreaterThan(0)
    expect(warnings(four)).toContain(
      `Warning: ${empty.length} of 10 classes have no train images (${empty.join(', ')}); a model never sees them. Check the labels, or list only the classes you have in a classes.txt.`
    )
  })

  it('warns when ImageFolder images come in mixed sizes and are resized', async () => {
    const l = lab()
    const dir = tempDir()
    await writeImage(path.join(dir, 'a', '0.png'), 0, 4, 5, 1, 'png')
    await writeImage(path.join(dir, 'a', '1.png'), 1, 4, 5, 1, 'png')
    await writeImage(path.join(dir, 'b', '2.png'), 2, 8, 8, 1, 'png')
    const { dataset } = await l.api.request('datasets.register', { path: dir, name: 'mixed' })
    expect(warnings(dataset)).toContain('Warning: 1 of 3 images are not 4×5; they are centre-cropped and resized to it.')
  })

  it('registers a healthy dataset without warnings', async () => {
    const l = lab()
    const dir = writeIdxDataset(tempDir(), { train: 30, test: 10 }).dir
    const { dataset } = await l.api.request('datasets.register', { path: dir, name: 'healthy' })
    expect(warnings(dataset)).toEqual([])
  })
})

describe('launching on a dataset with no test images', () => {
  it('refuses attack, eval and sweep at launch with the reason, and queues no run', async () => {
    const l = lab()
    const dir = tempDir()
    writeIdxSplit(dir, 'train', { n: 12 })
    const { dataset } = await l.api.request('datasets.register', { path: dir, name: 'no test' })
    const model = modelRun(l, dataset.id)
    const runsBefore = (await l.api.request('runs.list', { limit: 100 })).length
    const reason = `Dataset "no test" (id ${dataset.id}) has no test images, and attacks, evaluations and sweeps measure a model on test images. Register the dataset again with its test files, and train on that.`
    const attempts = [
      await l.api.call('attack.start', { runId: model, attack: 'fgsm', epsilon: 0.1 }),
      await l.api.call('eval.start', { runId: model }),
      await l.api.call('sweep.start', { runIds: [model], attacks: [{ attack: 'fgsm' }], epsilons: [0.1] })
    ]
    expect(attempts.map((r) => (r.ok ? 'accepted' : r.error))).toEqual([
      { code: 'bad_input', message: reason, field: 'runId' },
      { code: 'bad_input', message: reason, field: 'runId' },
      { code: 'bad_input', message: reason, field: 'runIds' }
    ])
    expect((await l.api.request('runs.list', { limit: 100 })).length).toBe(runsBefore)
    expect(fs.existsSync(l.dataDir)).toBe(true)
  })
})
