import { formatEpsilon } from './epsilon'

/**
 * The names of the metrics a run writes to the log, declared once: the training loop, the import
 * job and evaluations write them; the store, the results table, the CLI, the charts and the exports
 * read them by these names, so a rename cannot leave a reader looking for a series nobody writes.
 */
export const METRICS = {
  /** Mean loss of one training batch (per step). */
  trainLoss: 'train/loss',
  /** Accuracy on one training batch (per step). */
  trainBatchAccuracy: 'train/batch_accuracy',
  /** Learning rate at a step. */
  learningRate: 'lr',
  /** Accuracy on the training subset at the end of an epoch. */
  trainAccuracy: 'train/accuracy',
  /** Clean accuracy on the test split (after an epoch; once for an imported model). */
  testAccuracy: 'test/accuracy',
  /** Loss on the test split, beside testAccuracy. */
  testLoss: 'test/loss'
} as const
export type MetricName = (typeof METRICS)[keyof typeof METRICS]

/**
 * Prefix of the metrics of a teacher trained inside a distillation run, so its curves sit beside
 * the student's under their own names ("teacher/train/loss", …).
 */
export const TEACHER_METRIC_PREFIX = 'teacher/'

/**
 * The robust accuracy an attack measured, one point per seed: `eval/<attack>/<norm>/<ε>/accuracy`,
 * with ε as the number the attack ran at.
 */
export function evalAccuracyMetric(attack: string, norm: string, epsilon: number): string {
  return `eval/${attack}/${norm}/${epsilon}/accuracy`
}

/** TensorBoard export: one tag per attack and norm, with ε on the step axis (an ε-curve). */
export function evalCurveTag(attack: string, norm: string): string {
  return `eval/${attack}/${norm}`
}

/**
 * MLflow export: robust accuracy per attack × ε as a metric key (MLflow has no 2-D keys), ε written
 * as the product formats it with the slash made safe for a file name ("8/255" → "8_255").
 */
export function evalExportMetric(attack: string, norm: string, epsilon: number): string {
  return `eval/${attack}/${norm}/eps_${formatEpsilon(epsilon).replace('/', '_')}`
}
