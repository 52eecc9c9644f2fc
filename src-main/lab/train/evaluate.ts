import * as tf from '@tensorflow/tfjs-core'
import type { ImageSet } from './batches'
import type { TrainableModel } from './model'

/** Clean accuracy and mean cross-entropy of a model in inference mode (running BN statistics). */
export function evaluateClean(model: TrainableModel, set: ImageSet, batchSize = 256): { accuracy: number; loss: number } {
  const size = set.height * set.width * set.channels
  let correct = 0
  let lossSum = 0
  for (let start = 0; start < set.n; start += batchSize) {
    const end = Math.min(set.n, start + batchSize)
    const [batchCorrect, batchLoss] = tf.tidy(() => {
      const x = tf.tensor4d(set.images.subarray(start * size, end * size), [end - start, set.height, set.width, set.channels])
      const y = tf.tensor1d(set.labels.subarray(start, end), 'int32')
      const logits = model.forward(x, false)
      const hits = tf.sum(tf.equal(tf.argMax(logits, 1), y))
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]), logits, undefined, undefined, tf.Reduction.SUM)
      return [hits.dataSync()[0], loss.dataSync()[0]]
    })
    correct += batchCorrect
    lossSum += batchLoss
  }
  return { accuracy: set.n ? correct / set.n : 0, loss: set.n ? lossSum / set.n : 0 }
}
