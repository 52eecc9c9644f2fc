/**
 * Sensible starting values per kind of data. MNIST-like: 1 channel, 28×28; CIFAR-like: 3 channels.
 * ε grids are the literature's: 0.1/0.2/0.3 for MNIST (Madry et al. 2018), 2/4/8 ⁄ 255 for
 * CIFAR-10 (the seed study).
 */
import type { Dataset } from '@api/datasets'
import { DEFAULT_DISTILL_LOSS, learningAtTemperature, type DistillLoss } from '@api/train'
import { ATTACK_IDS, attackDeclaration } from '@api/attacks'
import { defaultEpsilon } from '@api/evaluation'
import { formatEpsilon } from '@api/epsilon'

export type DataKind = 'mnist-like' | 'cifar-like' | 'other'

export function dataKind(dataset: Pick<Dataset, 'shape'> | null | undefined): DataKind {
  if (!dataset) return 'other'
  if (dataset.shape.channels === 1 && dataset.shape.height <= 32) return 'mnist-like'
  if (dataset.shape.channels === 3 && dataset.shape.height <= 64) return 'cifar-like'
  return 'other'
}

/** L2 grids are in the same pixel units, over the whole image: MNIST around 2 (Madry et al.), CIFAR around 0.5. */
export function epsilonGrid(kind: DataKind, norm: 'Linf' | 'L2' = 'Linf'): string {
  if (norm === 'L2') return kind === 'mnist-like' ? '1, 2, 3' : '0.25, 0.5, 1'
  return kind === 'mnist-like' ? '0.1, 0.2, 0.3' : '2/255, 4/255, 8/255'
}

/**
 * The headline ε an evaluation of this data uses when none is given, written as the user would
 * (0.3, 8/255): the contract's rule, so a wizard's default is the one the service applies.
 */
export function headlineEpsilon(dataset: Pick<Dataset, 'shape'>, norm: 'Linf' | 'L2' = 'Linf'): string {
  return formatEpsilon(defaultEpsilon(norm, dataset.shape.channels))
}

export interface BaselineDefaults {
  arch: 'mlp' | 'cnn-small' | 'resnet18'
  optimizer: 'sgd' | 'adam'
  lr: number
  schedule: 'constant' | 'step' | 'cosine'
  epochs: number
  batchSize: number
  subsetTrain: number | ''
  subsetTest: number | ''
  cropPadding: number
  horizontalFlip: boolean
}

/** Small enough to finish in minutes on a CPU; the user raises them for a real study. */
export function baselineDefaults(kind: DataKind): BaselineDefaults {
  if (kind === 'cifar-like')
    return {
      arch: 'cnn-small',
      optimizer: 'sgd',
      lr: 0.1,
      schedule: 'cosine',
      epochs: 10,
      batchSize: 128,
      subsetTrain: 10000,
      subsetTest: 1000,
      cropPadding: 4,
      horizontalFlip: true
    }
  return {
    arch: 'cnn-small',
    optimizer: 'sgd',
    lr: 0.05,
    schedule: 'cosine',
    epochs: 3,
    batchSize: 64,
    subsetTrain: 5000,
    subsetTest: 1000,
    cropPadding: 0,
    horizontalFlip: false
  }
}

/**
 * The distillation wizard's starting values: the seed study's T = 20 and α = 0.7, the default
 * student loss, and the seed-quick preset's base learning rate 0.025 (lab/study/presets.ts, measured
 * there: teacher 92.6%, student 93.4%). Twice that (the baseline's 0.05) is too much for a model
 * trained at T: its teacher at lr · T = 1 fell to 17% on 2,000 MNIST images.
 */
export function distillDefaults() {
  return {
    arch: 'cnn-small' as const,
    epochs: 3,
    subsetTrain: 5000,
    subsetTest: 1000,
    batchSize: 64,
    lr: 0.025,
    weightDecay: 5e-4,
    temperature: 20,
    alpha: 0.7,
    loss: DEFAULT_DISTILL_LOSS
  }
}

/**
 * SGD for a distillation's teacher (trained at T in the same job) and its student, from the
 * ordinary lr and weight decay by the one rule the study presets use (learningAtTemperature).
 */
export function distillOptimizers(ordinary: { lr: number; weightDecay: number }, temperature: number, loss: DistillLoss) {
  return {
    teacher: { kind: 'sgd' as const, ...learningAtTemperature(ordinary, temperature, 'teacher') },
    student: { kind: 'sgd' as const, ...learningAtTemperature(ordinary, temperature, loss) }
  }
}

/** The seed study's advice on the distillation temperature T, as a tone and an i18n key. */
export function temperatureAdvice(t: number): { tone: 'ok' | 'warn'; key: string } {
  if (!Number.isFinite(t) || t <= 0) return { tone: 'warn', key: 'wizard.distill.adviceInvalid' }
  if (t < 5) return { tone: 'warn', key: 'wizard.distill.adviceLow' }
  if (t > 40) return { tone: 'warn', key: 'wizard.distill.adviceHigh' }
  if (t >= 15 && t <= 25) return { tone: 'ok', key: 'wizard.distill.adviceBest' }
  return { tone: 'ok', key: 'wizard.distill.adviceMid' }
}

/** The attacks a sweep can run: the contract's catalogue (api/attacks), in its order. */
export const ATTACKS: readonly string[] = ATTACK_IDS

/** An attack's line in the list: the locale's short hint when it has one, else the declaration's description. */
export function attackHint(id: string, t: (key: string) => string, te: (key: string) => boolean): string {
  const key = `wizard.attackHint.${id}`
  return te(key) ? t(key) : attackDeclaration(id).description
}

/** The threat-model norms an attack can bound, as drop-down choices. */
export function normOptions(t: (key: string) => string) {
  return [
    { value: 'Linf' as const, label: t('wizard.linf') },
    { value: 'L2' as const, label: t('wizard.l2') }
  ]
}
