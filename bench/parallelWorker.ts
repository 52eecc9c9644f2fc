/** One engine worker of the parallel benchmark: runs a workload on the slice of a batch it gets. */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../src-main/lab/engine/init'
import { createModel } from '../src-main/lab/models/model'
import { inputGradient, trainingGradients } from '../src-main/lab/models/gradient'
import type { Cell } from './engine'

const { cell, batch } = workerData as { cell: Cell; batch: number }
await initEngine('wasm')
const model = createModel({ arch: cell.arch, inputShape: cell.inputShape, numClasses: 10, width: cell.width, seed: 1 })
const x = tf.randomUniform([batch, ...cell.inputShape], 0, 1, 'float32', 2) as tf.Tensor4D
const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32')

parentPort!.on('message', (workload: string) => {
  if (workload === 'forward') {
    const l = model.forward(x)
    l.dataSync()
    l.dispose()
    parentPort!.postMessage(null)
  } else if (workload === 'fgsm') {
    const g = inputGradient(model, x, y)
    const adv = tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(tf.sign(g.grad), 8 / 255)), 0, 1))
    adv.dataSync()
    tf.dispose([adv, g.grad, g.loss, g.logits])
    parentPort!.postMessage(null)
  } else if (workload === 'grads') {
    // Data-parallel training: this worker's gradient, flattened, sent back for averaging.
    const g = trainingGradients(model, x, y)
    const flat = new Float32Array(model.params.reduce((n, p) => n + p.tensor.size, 0))
    let off = 0
    for (const p of model.params) {
      const v = g.grads[p.name].dataSync() as Float32Array
      flat.set(v, off)
      off += v.length
    }
    tf.dispose([g.loss, g.logits, ...Object.values(g.grads)])
    parentPort!.postMessage(flat, [flat.buffer])
  } else if (workload === 'stop') {
    process.exit(0)
  }
})
parentPort!.postMessage('ready')
