/**
 * What a model is trained to minimise, as plain data: the job thread and every data-parallel
 * replica (train/parallel) build the same loss function from it, so a batch split over workers is
 * trained on exactly the objective the whole batch would have been.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Defence } from '../../api/defences'
import type { DistillLoss } from '../../api/train'
import { lossWithDefence } from '../defences/training'
import type { ImageSet } from './batches'
import { crossEntropy, distillationLoss } from './losses'
import type { LossFunction } from './step'
import type { TrainableModel } from './model'

export type Objective =
  /** Cross-entropy of logits/T (T > 1 trains a distillation teacher), optionally label-smoothed. */
  | { kind: 'cross-entropy'; temperature: number; labelSmoothing: number }
  /**
   * The student's loss against the teacher stored in `teacherWeights` (a weights file); `loss`
   * names its form (losses.ts), so every replica trains on the form the run recorded.
   */
  | { kind: 'distillation'; temperature: number; alpha: number; loss: DistillLoss; teacherWeights: string }

/**
 * The loss function for `model`: the objective, on adversarial examples when the defence is
 * adversarial training. A distillation objective needs the teacher model itself.
 */
export function objectiveLoss(
  objective: Objective,
  defence: Defence | undefined,
  model: TrainableModel,
  shape: Pick<ImageSet, 'height' | 'width' | 'channels'>,
  seed: number,
  teacher: TrainableModel | null
): LossFunction {
  if (objective.kind === 'cross-entropy') {
    const { temperature, labelSmoothing } = objective
    return lossWithDefence(defence, model, shape, seed, (logits, labels) => crossEntropy(logits, labels, { temperature, labelSmoothing }))
  }
  if (!teacher) throw new Error('a distillation objective needs its teacher model')
  const { temperature: T, alpha, loss: form } = objective
  // The teacher's soft labels are those of the clean batch, also when the student trains on
  // adversarial examples of it ("Distill + PGD 5-step").
  return lossWithDefence(defence, model, shape, seed, (logits, labels, batch) => {
    const soft = tf.tidy(() => {
      const x = tf.tensor4d(batch.images, [labels.shape[0], shape.height, shape.width, shape.channels])
      return tf.softmax(tf.div(teacher.forward(x, false), T)) as tf.Tensor2D
    })
    const loss = distillationLoss(logits, soft, labels, { temperature: T, alpha, loss: form })
    soft.dispose()
    return loss
  })
}
