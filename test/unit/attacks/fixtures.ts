/**
 * Fixtures for the attack tests, built in code: MNIST through the real dataset path (built-in
 * registration + loader on a temporary log), and a small cnn-small / mlp trained here with Adam.
 * A trained model's weights are cached in the OS temp dir (keyed by everything that determines
 * them), so the several test files that need one train it once.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { openLog } from '../../../src-main/lab/store/open'
import { attackDeclaration } from '../../../src-main/api/attacks'
import { ensureBuiltinDatasets } from '../../../src-main/lab/data/builtins'
import { loadDataset } from '../../../src-main/lab/data/loader'
import { createModel, type CreateModelOptions, type Model } from '../../../src-main/lab/models/model'
import { initEngine } from '../../../src-main/lab/engine/init'
import { assignFlat, flatten } from '../../../src-main/lab/train/parallel/flat'

export interface MnistSplit {
  x: tf.Tensor4D
  y: tf.Tensor1D
  n: number
  /** Positions in the dataset's split: the stratified subset every evaluation of that size uses. */
  indices: Int32Array
}

/** `train` and `test` stratified subsets of MNIST, as tensors. */
export async function loadMnist(train: number, test: number, seed = 0): Promise<{ train: MnistSplit; test: MnistSplit }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-attacks-'))
  const { db } = openLog(dir)
  try {
    await ensureBuiltinDatasets({ db, dataDir: dir })
    const load = async (split: 'train' | 'test', subset: number): Promise<MnistSplit> => {
      const d = await loadDataset(db, 'MNIST', { split, subset, seed })
      return {
        x: tf.tensor4d(d.images, [d.n, d.height, d.width, d.channels]),
        y: tf.tensor1d(d.labels, 'int32'),
        n: d.n,
        indices: d.indices
      }
    }
    return { train: await load('train', train), test: await load('test', test) }
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export interface TrainedModelOptions {
  arch: 'cnn-small' | 'mlp'
  width: number
  trainImages: number
  epochs: number
  seed: number
}

/** A model trained on MNIST (Adam 1e-3, batch 64), from the cache when it exists. */
export async function trainedMnistModel(options: TrainedModelOptions, train: MnistSplit): Promise<Model> {
  const spec: CreateModelOptions = { arch: options.arch, inputShape: [28, 28, 1], numClasses: 10, width: options.width, seed: options.seed }
  const model = createModel(spec)
  const key = `${options.arch}-w${options.width}-n${options.trainImages}-e${options.epochs}-s${options.seed}-v1`
  const file = path.join(os.tmpdir(), `advlab-attack-test-model-${key}.bin`)
  if (fs.existsSync(file)) {
    assignFlat(
      model.tensors.map((t) => t.tensor),
      new Float32Array(fs.readFileSync(file).buffer.slice(0))
    )
    return model
  }
  const optimizer = tf.train.adam(1e-3)
  const batch = 64
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let s = 0; s + batch <= train.n; s += batch) {
      tf.tidy(() => {
        const xb = tf.slice(train.x, [s, 0, 0, 0], [batch, -1, -1, -1]) as tf.Tensor4D
        const yb = tf.oneHot(tf.slice(train.y, [s], [batch]), 10)
        optimizer.minimize(
          () => tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.logSoftmax(model.forward(xb, { training: true }))), 1))) as tf.Scalar,
          false,
          model.trainableVariables()
        )
      })
    }
  }
  optimizer.dispose()
  const all = flatten(model.tensors.map((t) => t.tensor))
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, Buffer.from(all.buffer))
  fs.renameSync(tmp, file)
  return model
}

/**
 * What the attack integration tests start from: the engine up, MNIST (the first model's
 * trainImages for training, 100 test images) and each model trained on it; the training images
 * are freed, the test split is the caller's to dispose.
 */
export async function mnistWithModels(...options: TrainedModelOptions[]): Promise<{ models: Model[]; test: MnistSplit }> {
  await initEngine('wasm')
  const data = await loadMnist(options[0].trainImages, 100)
  const models: Model[] = []
  for (const o of options) models.push(await trainedMnistModel(o, data.train))
  tf.dispose([data.train.x, data.train.y])
  return { models, test: data.test }
}

/** Share of points classified correctly. */
export function accuracy(logits: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, y: tf.Tensor1D): number {
  const t = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits(x), 1), tf.cast(y, 'int32')), 'float32')))
  const v = t.dataSync()[0]
  t.dispose()
  return v
}

/** Largest per-sample distance (in the norm) between two batches, in float64 on the host. */
export function maxDistance(a: tf.Tensor4D, b: tf.Tensor4D, norm: 'Linf' | 'L2'): number {
  const av = a.dataSync()
  const bv = b.dataSync()
  const per = av.length / a.shape[0]
  let worst = 0
  for (let i = 0; i < a.shape[0]; i++) {
    let d = 0
    for (let j = i * per; j < (i + 1) * per; j++) {
      const diff = Math.abs(av[j] - bv[j])
      d = norm === 'Linf' ? Math.max(d, diff) : d + diff * diff
    }
    worst = Math.max(worst, norm === 'Linf' ? d : Math.sqrt(d))
  }
  return worst
}

/** The entries of a shared small budget that this attack has as settings (an attack refuses others). */
export function settingsFor(attackId: string, budget: Record<string, unknown>): Record<string, unknown> {
  const names = attackDeclaration(attackId).settingNames
  return Object.fromEntries(Object.entries(budget).filter(([name]) => names.includes(name)))
}
