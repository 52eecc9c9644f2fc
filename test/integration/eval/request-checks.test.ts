/**
 * Attack, evaluation and sweep requests are checked when they arrive, before a run exists: a
 * misspelled attack setting is refused naming the attack's settings; ε outside its norm's range
 * is refused naming the field, the value and the range; more samples than the test split are
 * clamped with a warning stored on the run; a sweep file naming an unknown attack is refused before
 * any model trains. Through the real service (in process) and the `lab` command (its own process).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finished, testLab } from '../../support/lab'
import type { RunSummary } from '../../../src-main/api/runs'
import { ATTACK_DECLARATIONS } from '../../../src-main/api/attacks'

const root = path.resolve(__dirname, '../../..')
let t: ReturnType<typeof testLab>
let model: RunSummary

const lab = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin/lab.mjs'), ...args, '--data-dir', t.dataDir], {
    encoding: 'utf8',
    env: { ...process.env, ADVLAB_BACKEND: 'wasm' }
  })
const runCount = () => (t.lab.ctx.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n

/** The service's refusal of a request: its code and message (the request must fail). */
async function refusal(method: string, params: unknown): Promise<{ code: string; message: string }> {
  const response = await t.api.call(method, params)
  if (response.ok) throw new Error(`${method} was accepted: run ${(response.result as RunSummary).id}`)
  return response.error
}

beforeAll(async () => {
  t = testLab('request-checks')
  const run = await t.api.request('train.start', {
    dataset: 'mnist',
    subset: { train: 300, test: 100 },
    model: { arch: 'mlp' },
    optimizer: { kind: 'sgd', lr: 0.1 },
    epochs: 1,
    batchSize: 50,
    seed: 1
  })
  model = await finished(t.api, run.id)
  expect(model.status).toBe('completed')
}, 300_000)
afterAll(() => t?.close())

describe('attack settings are checked against the attack when the request arrives', () => {
  it('attack.start refuses a misspelled setting, naming it and the settings the attack has, and creates no run', async () => {
    const before = runCount()
    const error = await refusal('attack.start', { runId: model.id, attack: 'pgd', epsilon: 0.1, settings: { stpes: 100 } })
    expect(error.code).toBe('bad_input')
    expect(error.message).toBe('Attack "pgd" has no setting "stpes"; its settings are steps, stepSize, restarts, randomStart, loss.')
    expect(runCount()).toBe(before)
  })

  it('sweep.start refuses a setting of the wrong kind, naming the setting and the value', async () => {
    const error = await refusal('sweep.start', {
      runIds: [model.id],
      attacks: [{ attack: 'square', settings: { queries: 'many' } }],
      epsilons: [0.1]
    })
    expect(error).toMatchObject({ code: 'bad_input', message: 'Attack "square": setting "queries" must be a number (got "many").' })
  })

  it('lab attack --settings refuses the misspelled setting with the same sentence', () => {
    const r = lab('attack', String(model.id), '--attack', 'pgd', '--eps', '0.1', '--settings', '{"stpes":100}')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('Attack "pgd" has no setting "stpes"; its settings are steps, stepSize, restarts, randomStart, loss.')
  })

  it('a sweep file naming an unknown attack is refused before any model trains', () => {
    const before = runCount()
    const file = path.join(t.dataDir, 'typo-sweep.json')
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'typo',
        base: {
          dataset: 'mnist',
          subset: { train: 300, test: 100 },
          model: { arch: 'mlp' },
          optimizer: { kind: 'sgd', lr: 0.1 },
          epochs: 1
        },
        evaluate: { attacks: [{ attack: 'pgd-typo' }], epsilons: [0.1], n: 50 }
      })
    )
    const r = lab('sweep', 'local', file)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('There is no attack "pgd-typo"')
    expect(runCount()).toBe(before)
  })
})

describe('ε is checked against the norm and the images', () => {
  it('attack.start refuses ε = 5 for L∞, naming the field, the value and the range', async () => {
    const before = runCount()
    const error = await refusal('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 5 })
    expect(error.code).toBe('bad_input')
    expect(error.message).toMatch(/^epsilon = 5 is outside \(0, 1\] for the L∞ norm/)
    expect(runCount()).toBe(before)
  })

  it('eval.start and sweep.start refuse ε = 5 for L∞ too', async () => {
    expect((await refusal('eval.start', { runId: model.id, epsilon: 5 })).message).toMatch(/^epsilon = 5 is outside \(0, 1\]/)
    expect(
      (await refusal('sweep.start', { runIds: [model.id], attacks: [{ attack: 'fgsm', settings: {} }], epsilons: [0.1, 5] })).message
    ).toMatch(/^epsilons\.1 = 5 is outside \(0, 1\]/)
  })

  it('refuses an L2 ε above the diameter of the 28×28×1 image cube (√784 = 28), and ε = 0', async () => {
    expect((await refusal('attack.start', { runId: model.id, attack: 'pgd', norm: 'L2', epsilon: 29 })).message).toMatch(
      /^epsilon = 29 is outside \(0, 28\] for the L2 norm/
    )
    expect((await refusal('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 0 })).message).toMatch(
      /^epsilon = 0 is outside \(0, 1\]/
    )
  })

  it('lab attack --eps 5 is refused with the same sentence', () => {
    const r = lab('attack', String(model.id), '--attack', 'fgsm', '--eps', '5')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('epsilon = 5 is outside (0, 1] for the L∞ norm')
  })
})

describe('sample counts', () => {
  it('more samples than the test split are clamped to it, with a warning stored on the run', async () => {
    const run = await t.api.request('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 0.1, n: 20_000 })
    const events = await t.api.request('runs.events', { id: run.id })
    expect(events.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'n = 20000 asks for more test images than dataset "MNIST" has (10000); every one of its 10000 test images is used instead.'
    ])
    expect((await t.api.request('runs.get', { id: run.id })).config).toMatchObject({ n: 10_000 })
    await t.api.request('runs.cancel', { id: run.id })
    await finished(t.api, run.id)
  })
})

describe('pre-flight checks', () => {
  it('an attack on a randomised defence (random-resize) stores a warning on its run before it runs', async () => {
    const wrapped = await t.api.request('defences.wrap', { runId: model.id, defence: { kind: 'random-resize' } })
    const run = await t.api.request('attack.start', { runId: wrapped.id, attack: 'fgsm', epsilon: 0.1, n: 50 })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const warnings = (await t.api.request('runs.events', { id: run.id })).filter((e) => e.level === 'warn').map((e) => e.message)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Pre-flight: the model is randomised — two calls on the same images differ by up to .* in a logit\. Attacks without EOT/
      )
    ])
  })

  it('an attack on the plain model stores none', async () => {
    const run = await t.api.request('attack.start', { runId: model.id, attack: 'fgsm', epsilon: 0.1, n: 50 })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    expect((await t.api.request('runs.events', { id: run.id })).filter((e) => e.level === 'warn')).toEqual([])
  })
})

describe('lab attacks', () => {
  it("lists every declared attack with its paper, norms and the declaration's defaults", () => {
    const r = lab('attacks', '--json')
    expect(r.status).toBe(0)
    const list = JSON.parse(r.stdout) as { id: string; norms: string[]; settings: Record<string, unknown> }[]
    expect(list.map((a) => a.id)).toEqual(ATTACK_DECLARATIONS.map((d) => d.id))
    expect(list.find((a) => a.id === 'pgd')!.settings).toEqual({ steps: 10, restarts: 1, randomStart: true, loss: 'ce' })
    expect(lab('attacks').stdout).toContain('settings: steps 10, stepSize 0.25·ε, restarts 1, randomStart true, loss "ce"')
  })
})
