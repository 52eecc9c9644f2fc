import type { Defence } from '../../../api/defences'
import type { ModelSpec } from '../../models/spec'
import type { Objective } from '../objective'

/** Everything a replica needs to rebuild the job's model and loss in its own thread. */
export interface ReplicaRecipe {
  spec: ModelSpec
  defence?: Defence
  seed: number
  objective: Objective
}

export type ToReplica = {
  type: 'step'
  id: number
  /** Every model tensor (weights and BatchNorm buffers), state_dict order, flattened. */
  state: Float32Array
  images: Float32Array
  labels: Int32Array
  indices: Int32Array
  progress?: number
}

export type FromReplica =
  | { type: 'ready' }
  | {
      type: 'result'
      id: number
      /** Trainable gradients, flattened in parameter order. */
      grads: Float32Array
      /** BatchNorm buffers after this shard's update, flattened in buffer order. */
      buffers: Float32Array
      loss: number
      correct: number
    }
  | { type: 'error'; id?: number; message: string }
