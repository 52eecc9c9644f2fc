/**
 * A measured probe, in its own worker thread: a few real training and inference steps of a model
 * on random images of the dataset's shape, on the active backend. The wizards' duration estimates
 * come from these timings, not from guesses.
 */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../engine/init'
import { buildModel } from '../train/build-model'
import { createOptimizer } from '../train/optimizers'
import { trainStep } from '../train/loop'
import { objectiveLoss } from '../train/objective'
import { inputGradient } from '../models/gradient'
import type { ProbeRequest, ProbeResult } from './probe'

const request = (workerData as { request: ProbeRequest }).request

async function probe(): Promise<ProbeResult> {
  const backend = await initEngine(request.backend)
  const [h, w, c] = request.inputShape
  const info = {
    mean: new Array(c).fill(0.5),
    std: new Array(c).fill(0.25),
    classes: Array.from({ length: request.numClasses }, (_, i) => String(i))
  }
  const model = buildModel(request.model, { height: h, width: w, channels: c }, info, 0)
  const optimizer = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 }, model.variables)
  const n = request.batchSize
  const x = tf.randomUniform([n, h, w, c]) as tf.Tensor4D
  const y = tf.randomUniform([n], 0, request.numClasses, 'int32') as tf.Tensor1D
  // The training loop's own step (train/loop.ts) on one thread; estimates scale it by the workers.
  const shape = { height: h, width: w, channels: c }
  const loss = objectiveLoss({ kind: 'cross-entropy', temperature: 1, labelSmoothing: 0 }, undefined, model, shape, 0, null)
  const batch = {
    images: x.dataSync() as Float32Array,
    labels: y.dataSync() as Int32Array,
    indices: Int32Array.from({ length: n }, (_, i) => i)
  }
  const step = () => trainStep(model, optimizer, batch, loss, 0.01, shape, null).then(() => undefined)
  const inferStep = () => void tf.tidy(() => model.forward(x, false).dataSync())
  // The attacks' unit of work: loss and input gradient in inference mode (lab/models/gradient).
  const gradientStep = () => {
    const g = inputGradient(model.model, x, y)
    g.grad.dataSync()
    tf.dispose([g.grad, g.loss, g.logits])
  }
  const timed = async (fn: () => void | Promise<void>, repeats: number) => {
    await fn() // warm-up: kernels compile and caches fill on the first call
    const started = performance.now()
    for (let i = 0; i < repeats; i++) await fn()
    return (performance.now() - started) / 1000 / repeats
  }
  const secondsPerTrainStep = await timed(step, 3)
  const secondsPerInferenceBatch = await timed(inferStep, 3)
  const secondsPerGradientBatch = await timed(gradientStep, 3)
  tf.dispose([x, y])
  optimizer.dispose()
  model.dispose()
  return {
    backend: backend.name,
    batchSize: n,
    secondsPerTrainStep,
    secondsPerInferenceImage: secondsPerInferenceBatch / n,
    secondsPerInputGradientImage: secondsPerGradientBatch / n
  }
}

probe()
  .then((result) => parentPort!.postMessage({ ok: true, result }))
  .catch((error) => parentPort!.postMessage({ ok: false, error: (error as Error).message }))
  .finally(() => parentPort!.close())
