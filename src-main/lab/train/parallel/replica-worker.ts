/**
 * A data-parallel training replica: rebuilds the job's model and loss from its recipe once, then
 * for every step loads the weights it is sent, computes its shard's gradients (BatchNorm on the
 * shard's statistics, as in PyTorch's DistributedDataParallel) and sends them back with its
 * updated BatchNorm buffers.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { initEngine } from '../../engine/init'
import { withDefenceLayer } from '../../defences/training'
import { createModel } from '../../models/model'
import { adapt, modelFromWeightsFile } from '../build-model'
import { objectiveLoss } from '../objective'
import { batchGradients } from '../step'
import { assignFlat, flatten } from './flat'
import type { FromReplica, ReplicaRecipe, ToReplica } from './messages'
import * as tf from '@tensorflow/tfjs-core'

const port = parentPort!
const post = (m: FromReplica, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer)
const { recipe, backend } = workerData as { recipe: ReplicaRecipe; backend: string }

try {
  await initEngine(backend)
  const built = adapt(createModel(recipe.spec))
  const model = withDefenceLayer(built, recipe.defence, recipe.seed)
  const teacher = recipe.objective.kind === 'distillation' ? modelFromWeightsFile(recipe.objective.teacherWeights) : null
  const [height, width, channels] = recipe.spec.inputShape
  const shape = { height, width, channels }
  const loss = objectiveLoss(recipe.objective, recipe.defence, model, shape, recipe.seed, teacher)
  const all = built.model.tensors.map((t) => t.tensor)
  const buffers = built.model.buffers.map((t) => t.tensor)

  port.on('message', (m: ToReplica) => {
    try {
      assignFlat(all, m.state)
      const r = batchGradients(model, { images: m.images, labels: m.labels, indices: m.indices, progress: m.progress }, loss, shape)
      const grads = flatten(r.grads)
      tf.dispose(r.grads)
      const state = flatten(buffers)
      post({ type: 'result', id: m.id, grads, buffers: state, loss: r.loss, correct: r.correct }, [
        grads.buffer as ArrayBuffer,
        state.buffer as ArrayBuffer
      ])
    } catch (error) {
      post({ type: 'error', id: m.id, message: (error as Error)?.message ?? String(error) })
    }
  })
  post({ type: 'ready' })
} catch (error) {
  post({ type: 'error', message: `a training replica could not start: ${(error as Error)?.message ?? String(error)}` })
}
