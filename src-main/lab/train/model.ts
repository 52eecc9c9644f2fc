import type * as tf from '@tensorflow/tfjs-core'

/**
 * What the training loop needs of a model. Built-in architectures (lab/models) are adapted to it
 * in train/build-model.ts.
 */
export interface TrainableModel {
  /** Trainable weights, in a fixed order. */
  variables: tf.Variable[]
  /** Logits; in training mode BatchNorm uses batch statistics and updates its running ones. */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D
  /** Everything that defines the model's function: weights and BatchNorm running statistics. */
  namedState(): Map<string, tf.Tensor>
  loadNamedState(values: Map<string, Float32Array>): void
  dispose(): void
}
