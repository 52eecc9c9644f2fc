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
import { crossEntropy } from '../train/losses'
import { inputGradient } from '../models/gradient'
import type { ProbeRequest, ProbeResult } from './probe'

const request = (workerData as { request: ProbeRequest }).request

async function probe(): Promise<ProbeResult> {
  const backend = await initEngine(request.backend)
  const [h, w, c] = request.inputShape
  const info = { mean: new Array(c).fill(0.5), std: new Array(c).fill(0.25), classes: Array.from({ length: request.numClasses }, (_, i) => String(i)) }
  const model = buildModel(request.model, { height: h, width: w, channels: c }, info, 0)
  const optimizer = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 }, model.variables)
  const n = request.batchSize
  const x = tf.randomUniform([n, h, w, c]) as tf.Tensor4D
  const y = tf.randomUniform([n], 0, request.numClasses, 'int32') as tf.Tensor1D
  const trainStep = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(x, true), y), model.variables)
      optimizer.apply(model.variables.map((v) => grads[v.name]), 0.01)
      value.dataSync()
    })
  const inferStep = () => tf.tidy(() => model.forward(x, false).dataSync())
  // The attacks' unit of work: loss and input gradient in inference mode (lab/models/gradient).
  const gradientStep = () => {
    const g = inputGradient(model.model, x, y)
    g.grad.dataSync()
    tf.dispose([g.grad, g.loss, g.logits])
  }
  const timed = (fn: () => void, repeats: number) => {
    fn() // warm-up: kernels compile and caches fill on the first call
    const started = performance.now()
    for (let i = 0; i < repeats; i++) fn()
    return (performance.now() - started) / 1000 / repeats
  }
  const secondsPerTrainStep = timed(trainStep, 3)
  const secondsPerInferenceBatch = timed(inferStep, 3)
  const secondsPerGradientBatch = timed(gradientStep, 3)
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
