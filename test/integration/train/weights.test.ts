/** Weights leave and enter AdvLab as PyTorch state_dicts (safetensors), losslessly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { finished, testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('weights')
})
afterAll(() => t.close())

describe('weights export and import', () => {
  it('round-trips: export a trained run, import the file, and the imported run holds the identical state_dict', async () => {
    const run = await t.api.request('train.start', {
      dataset: 'mnist',
      subset: { train: 256, test: 64 },
      model: { arch: 'cnn-small', width: 0.5 },
      epochs: 1,
      batchSize: 64
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const out = path.join(t.dataDir, 'exported.safetensors')
    const exported = await t.api.request('weights.export', { id: run.id, out })
    expect(fs.statSync(out).size).toBe(exported.bytes)

    const imported = await t.api.request('weights.import', { file: out, dataset: 'mnist' })
    const done = await finished(t.api, imported.id)
    expect(done).toMatchObject({ status: 'completed', kind: 'import' })
    const again = path.join(t.dataDir, 'again.safetensors')
    await t.api.request('weights.export', { id: imported.id, out: again })
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true)

    // An imported model is a model like any other: it can be attacked and fully evaluated.
    const attack = await t.api.request('attack.start', { runId: imported.id, attack: 'fgsm', epsilon: 0.1, n: 32 })
    expect((await finished(t.api, attack.id)).status).toBe('completed')
    const evaluation = await t.api.request('eval.start', { runId: imported.id, budget: 'quick', n: 16 })
    const evaluated = await finished(t.api, evaluation.id)
    expect(evaluated.status, evaluated.error ?? '').toBe('completed')
    const { rows } = await t.api.request('evaluations.list', { runId: imported.id })
    expect(rows.some((r) => r.attack === 'fgsm')).toBe(true)
  })

  it('fails an import whose tensors do not fit the architecture, naming the tensor and both shapes', async () => {
    const run = await t.api.request('train.start', {
      dataset: 'mnist',
      subset: { train: 128, test: 64 },
      model: { arch: 'mlp', width: 0.5 },
      epochs: 1,
      batchSize: 64
    })
    await finished(t.api, run.id)
    const out = path.join(t.dataDir, 'mlp.safetensors')
    await t.api.request('weights.export', { id: run.id, out })
    // Strip the spec so the caller's architecture is used: an mlp file read as cnn-small.
    const bytes = fs.readFileSync(out)
    const headerLength = Number(bytes.readBigUInt64LE(0))
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString())
    delete header.__metadata__
    const json = Buffer.from(JSON.stringify(header))
    const stripped = Buffer.concat([Buffer.alloc(8), json, bytes.subarray(8 + headerLength)])
    stripped.writeBigUInt64LE(BigInt(json.length), 0)
    const foreign = path.join(t.dataDir, 'foreign.safetensors')
    fs.writeFileSync(foreign, stripped)

    const imported = await t.api.request('weights.import', { file: foreign, dataset: 'mnist', arch: 'cnn-small' })
    const done = await finished(t.api, imported.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(new RegExp(`^${foreign}: key "[^"]+" is not a cnn-small tensor`))
  })

  it('refuses, before creating any run, a file that is not safetensors or lacks an architecture', async () => {
    const junk = path.join(t.dataDir, 'junk.bin')
    fs.writeFileSync(junk, 'not weights')
    await expect(t.api.call('weights.import', { file: junk, dataset: 'mnist' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad_input', field: 'file' }
    })
    await expect(
      t.api.call('weights.import', { file: path.join(t.dataDir, 'missing.safetensors'), dataset: 'mnist' })
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringContaining('does not exist') }
    })
  })

  it('refuses an import into a project that does not exist, naming the field, and creates no run', async () => {
    const run = await t.api.request('train.start', {
      dataset: 'mnist',
      subset: { train: 64, test: 32 },
      model: { arch: 'mlp', width: 0.25 },
      epochs: 1,
      batchSize: 64
    })
    await finished(t.api, run.id)
    const out = path.join(t.dataDir, 'for-project.safetensors')
    await t.api.request('weights.export', { id: run.id, out })
    const before = (await t.api.request('runs.list', {})).length
    await expect(t.api.call('weights.import', { file: out, dataset: 'mnist', projectId: 999_999 })).resolves.toEqual({
      ok: false,
      error: { code: 'not_found', field: 'projectId', message: 'There is no project with id 999999.' }
    })
    expect((await t.api.request('runs.list', {})).length).toBe(before)
  })
})
