/**
 * Data-parallel training: a batch split over the job thread and a replica thread gives the
 * gradient of the whole batch (exactly so for models without BatchNorm; with BatchNorm, each shard
 * normalises by its own statistics and the running statistics are the shard-weighted mean), and a
 * training run with two workers learns, records the split and is reproducible.
 */
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel } from '../../../src-main/lab/models/model'
import { adapt, type BuiltModel } from '../../../src-main/lab/train/build-model'
import { objectiveLoss, type Objective } from '../../../src-main/lab/train/objective'
import { dataParallelGradients } from '../../../src-main/lab/train/parallel/data-parallel'
import { flatten } from '../../../src-main/lab/train/parallel/flat'
import { ReplicaPool } from '../../../src-main/lab/train/parallel/replica-pool'
import { batchGradients, splitBatch, type Batch } from '../../../src-main/lab/train/step'
import { seededRandom } from '../../../src-main/lab/data/subsets'
import { finished, testLab } from '../../support/lab'

const objective: Objective = { kind: 'cross-entropy', temperature: 1, labelSmoothing: 0.1 }

function randomBatch(n: number, shape: [number, number, number], classes: number, seed: number): Batch {
  const random = seededRandom(seed)
  const images = Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, () => random())
  return {
    images,
    labels: Int32Array.from({ length: n }, () => Math.floor(random() * classes)),
    indices: Int32Array.from({ length: n }, (_, i) => i)
  }
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let scale = 0
  let diff = 0
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]))
    diff = Math.max(diff, Math.abs(a[i] - b[i]))
  }
  return diff / scale
}

describe('data-parallel gradients over a replica thread', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  it('equal the whole batch gradient for a model without BatchNorm (cnn-small, 33 images split 17 + 16)', async () => {
    const model = adapt(createModel({ arch: 'cnn-small', inputShape: [12, 12, 1], numClasses: 10, width: 0.25, seed: 3 }))
    const shape = { height: 12, width: 12, channels: 1 }
    const loss = objectiveLoss(objective, undefined, model, shape, 0, null)
    const batch = randomBatch(33, [12, 12, 1], 10, 7)
    const replicas = await ReplicaPool.start(1, { spec: model.model.spec, seed: 0, objective }, 'wasm')
    try {
      const whole = batchGradients(model, batch, loss, shape)
      const parallel = await dataParallelGradients(replicas, model, batch, loss, shape)
      expect(maxRelativeError(flatten(parallel.grads), flatten(whole.grads))).toBeLessThan(1e-5)
      expect(parallel.loss).toBeCloseTo(whole.loss, 5)
      expect(parallel.correct).toBe(whole.correct)
      tf.dispose([...whole.grads, ...parallel.grads])
    } finally {
      await replicas.close()
      model.dispose()
    }
  })

  it('average the shard gradients and BatchNorm running statistics by shard size for a model with BatchNorm (resnet18)', async () => {
    const spec = { arch: 'resnet18' as const, inputShape: [8, 8, 3] as [number, number, number], numClasses: 10, width: 0.125, seed: 5 }
    const shape = { height: 8, width: 8, channels: 3 }
    const batch = randomBatch(9, [8, 8, 3], 10, 11)
    const shards = splitBatch(batch, 2, 8 * 8 * 3)
    expect(shards.map((s) => s.labels.length)).toEqual([5, 4])
    // Reference: each shard on its own copy of the same model, in this thread.
    const reference = shards.map((shard) => {
      const copy = adapt(createModel(spec))
      const r = batchGradients(copy, shard, objectiveLoss(objective, undefined, copy, shape, 0, null), shape)
      const out = { grads: flatten(r.grads), buffers: flatten(copy.model.buffers.map((b) => b.tensor)) }
      tf.dispose(r.grads)
      copy.dispose()
      return out
    })
    const model: BuiltModel = adapt(createModel(spec))
    const replicas = await ReplicaPool.start(1, { spec: model.model.spec, seed: 0, objective }, 'wasm')
    try {
      const parallel = await dataParallelGradients(
        replicas,
        model,
        batch,
        objectiveLoss(objective, undefined, model, shape, 0, null),
        shape
      )
      const expected = reference[0].grads.map((g, i) => (5 / 9) * g + (4 / 9) * reference[1].grads[i])
      expect(maxRelativeError(flatten(parallel.grads), Float32Array.from(expected))).toBeLessThan(1e-5)
      tf.dispose(parallel.grads)
      const stats = model.model.buffers.filter((b) => !b.name.endsWith('num_batches_tracked'))
      const offsets = new Map<string, number>()
      let at = 0
      for (const b of model.model.buffers) {
        offsets.set(b.name, at)
        at += b.tensor.size
      }
      for (const b of stats) {
        const got = b.tensor.dataSync()
        const o = offsets.get(b.name)!
        for (let i = 0; i < got.length; i++)
          expect(got[i]).toBeCloseTo((5 / 9) * reference[0].buffers[o + i] + (4 / 9) * reference[1].buffers[o + i], 5)
      }
      expect(model.model.get('bn1.num_batches_tracked').dataSync()[0]).toBe(1)
    } finally {
      await replicas.close()
      model.dispose()
    }
  })
})

describe('a training run with two workers', () => {
  let t: ReturnType<typeof testLab>
  beforeAll(() => {
    t = testLab('data-parallel')
  })
  afterAll(() => t.close())

  const config = {
    dataset: 'mnist',
    subset: { train: 2000, test: 500 },
    model: { arch: 'cnn-small' as const, width: 0.5 },
    optimizer: { kind: 'sgd' as const, lr: 0.05, momentum: 0.9 },
    epochs: 2,
    batchSize: 64,
    seed: 4,
    workers: 2
  }

  it('learns, says so in its events, and repeats itself exactly with the same seed', async () => {
    const runs = []
    for (let k = 0; k < 2; k++) {
      const run = await t.api.request('train.start', { ...config, name: `two workers ${k}` })
      expect((await finished(t.api, run.id)).status).toBe('completed')
      runs.push(run.id)
    }
    const [first, second] = await Promise.all(
      runs.map((id) => t.api.request('runs.metrics', { id, names: ['train/loss', 'test/accuracy'] }))
    )
    expect(first[1].values.at(-1)).toBeGreaterThan(0.85)
    expect(second[0].values).toEqual(first[0].values)
    const events = await t.api.request('runs.events', { id: runs[0] })
    expect(events.map((e) => e.message)).toContain(
      'Data-parallel training: each batch is split across 2 workers and their gradients averaged.'
    )
    expect(events.at(-1)!.message).toContain('"workers":2')
  })

  it('trains an mlp on one worker when the config names none (its steps are too cheap to split)', async () => {
    const { workers: _w, ...auto } = config
    const run = await t.api.request('train.start', { ...auto, model: { arch: 'mlp' as const }, epochs: 1, name: 'mlp, default workers' })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const events = await t.api.request('runs.events', { id: run.id })
    expect(events.some((e) => e.message.startsWith('Data-parallel training'))).toBe(false)
    expect(events.at(-1)!.message).toContain('"workers":1')
  })

  it('distils a student on two workers, each replica loading the teacher from its weights file', async () => {
    // The teacher trains at lr · T (logits / T shrink its gradient); the student's default loss carries the T itself.
    const part = { ...config, model: { arch: 'mlp' as const } }
    const teacherPart = { ...part, optimizer: { kind: 'sgd' as const, lr: 1, momentum: 0.9 }, workers: 1 }
    const studentPart = { ...part, optimizer: { kind: 'sgd' as const, lr: 0.05, momentum: 0.9 } }
    const run = await t.api.request('distill.start', { temperature: 20, alpha: 0.7, teacher: teacherPart, student: studentPart })
    expect((await finished(t.api, run.id)).status).toBe('completed')
    const [teacher, student] = await t.api.request('runs.metrics', { id: run.id, names: ['teacher/test/accuracy', 'test/accuracy'] })
    expect(Math.abs(student.values.at(-1)! - teacher.values.at(-1)!)).toBeLessThanOrEqual(0.03)
  })
})
