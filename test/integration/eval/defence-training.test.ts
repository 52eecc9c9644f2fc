/**
 * Defences chosen when training: adversarial training runs inside the real training loop (the
 * loss crafts the adversarial batch), a toy layer is recorded in the run config and put back in
 * front of the model when the run is attacked, and distillation accepts PGD-AT for its student
 * ("Distill + PGD 5-step" of the seed table).
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initEngine } from '../../../src-main/lab/engine/init'
import { modelFromWeightsFile } from '../../../src-main/lab/train/build-model'
import { finished, testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('defence-training')
})
afterAll(() => t?.close())

const base = {
  dataset: 'mnist',
  subset: { train: 256, test: 100 },
  model: { arch: 'cnn-small' as const },
  optimizer: { kind: 'sgd' as const, lr: 0.05, momentum: 0.9 },
  epochs: 1,
  batchSize: 64,
  seed: 2
}

describe('training with a defence', () => {
  it('PGD-k adversarial training completes, logs its defence and keeps it in the run config', async () => {
    const run = await t.api.request('train.start', { ...base, defence: { kind: 'pgd-at', epsilon: '0.1', steps: 2, mix: 0.5 } })
    const done = await finished(t.api, run.id)
    expect(done.status).toBe('completed')
    const config = (await t.api.request('runs.get', { id: run.id })).config as { defence: unknown }
    expect(config.defence).toEqual({ kind: 'pgd-at', epsilon: 0.1, steps: 2, mix: 0.5 })
    const events = await t.api.request('runs.events', { id: run.id })
    expect(events.some((e) => e.message.includes('PGD-2 AT'))).toBe(true)
  })

  it('PGD adversarial training without a clean term passes only the adversarial batch through BatchNorm in training mode', async () => {
    // resnet18 has BatchNorm: 2 steps of pure PGD-AT (mix 0) must count 2 batches, not 4.
    const run = await t.api.request('train.start', {
      ...base,
      subset: { train: 128, test: 50 },
      model: { arch: 'resnet18' as const, width: 0.0625 },
      workers: 1,
      defence: { kind: 'pgd-at', epsilon: '0.1', steps: 1, mix: 0 }
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const file = t.lab.ctx.db.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'weights'").get(run.id) as { path: string }
    await initEngine('wasm')
    const model = modelFromWeightsFile(path.join(t.dataDir, file.path))
    expect(model.model.get('bn1.num_batches_tracked').dataSync()[0]).toBe(2)
    model.dispose()
  })

  it('a model trained behind the quantisation toy is attacked behind it too', async () => {
    const trained = await finished(
      t.api,
      (await t.api.request('train.start', { ...base, defence: { kind: 'quantisation', levels: 4 } })).id
    )
    expect(trained.status).toBe('completed')
    const attack = await t.api.request('attack.start', { runId: trained.id, attack: 'fgsm', epsilon: 0.2, n: 100 })
    expect((await finished(t.api, attack.id)).status).toBe('completed')
    const fgsm = (await t.api.request('evaluations.list', { runId: trained.id })).rows.find((r) => r.attack === 'fgsm')!
    expect(fgsm.params.defence).toEqual({ kind: 'quantisation', levels: 4 })
    // Quantisation has a zero gradient: FGSM cannot move any image, so nothing changes.
    expect(fgsm.accuracy).toBe(fgsm.cleanAccuracy)
  })

  it('distillation trains its student with PGD adversarial training when asked', async () => {
    const run = await t.api.request('distill.start', {
      teacher: { ...base },
      student: { ...base, defence: { kind: 'pgd-at', epsilon: 0.1, steps: 2 } },
      temperature: 20,
      alpha: 0.7
    })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const events = await t.api.request('runs.events', { id: run.id })
    expect(events.some((e) => e.message.includes('Student trained with PGD-2 AT'))).toBe(true)
  })
})
