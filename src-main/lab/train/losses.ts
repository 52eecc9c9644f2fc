import * as tf from '@tensorflow/tfjs-core'

/**
 * Cross-entropy of logits/T against integer labels, with optional label smoothing
 * (Szegedy et al. 2016: target = (1 − s)·onehot + s/K). Mean over the batch.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, options: { temperature?: number; labelSmoothing?: number } = {}): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[1]
    const t = options.temperature ?? 1
    const s = options.labelSmoothing ?? 0
    let target: tf.Tensor = tf.cast(tf.oneHot(labels, numClasses), 'float32')
    if (s > 0) target = tf.add(tf.mul(target, 1 - s), s / numClasses)
    const logProbs = tf.logSoftmax(t === 1 ? logits : tf.div(logits, t))
    return tf.mean(tf.neg(tf.sum(tf.mul(target, logProbs), 1))) as tf.Scalar
  })
}

/**
 * The seed study's distillation loss (Papernot et al. 2016, with Hinton et al.'s soft/hard mix):
 * α · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α) · CE(student/T, y).
 * `teacherProbs` are the soft labels softmax(teacher/T), computed once per batch.
 */
export function distillationLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, labels: tf.Tensor1D, temperature: number, alpha: number): tf.Scalar {
  return tf.tidy(() => {
    const studentLogProbs = tf.logSoftmax(tf.div(studentLogits, temperature))
    const teacherLogProbs = tf.log(tf.clipByValue(teacherProbs, 1e-12, 1))
    const kl = tf.mean(tf.sum(tf.mul(teacherProbs, tf.sub(teacherLogProbs, studentLogProbs)), 1))
    const ce = crossEntropy(studentLogits, labels, { temperature })
    return tf.add(tf.mul(kl, alpha), tf.mul(ce, 1 - alpha)) as tf.Scalar
  })
}
