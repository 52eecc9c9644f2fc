/** One engine worker of the parallel benchmark: runs an attack workload on the slice of a batch it gets. */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../src-main/lab/engine/init'
import { createModel } from '../src-main/lab/models/model'
import { fgsm, pgd, type Cell } from './engine'

const { cell, batch } = workerData as { cell: Cell; batch: number }
await initEngine('wasm')
const model = createModel({ arch: cell.arch, inputShape: cell.inputShape, numClasses: 10, width: cell.width, seed: 1 })
const x = tf.randomUniform([batch, ...cell.inputShape], 0, 1, 'float32', 2) as tf.Tensor4D
const y = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % 10),
  'int32'
)

const workloads: Record<string, () => tf.Tensor> = {
  forward: () => model.forward(x),
  fgsm: () => fgsm(model, x, y),
  pgd10: () => pgd(model, x, y, 10)
}

parentPort!.on('message', (workload: string) => {
  const out = workloads[workload]()
  out.dataSync()
  out.dispose()
  parentPort!.postMessage(null)
})
parentPort!.postMessage('ready')
