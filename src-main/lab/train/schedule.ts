import type { TrainConfig } from '../../api/train'

/**
 * The learning rate at optimizer step `step` (0-based) of `totalSteps`.
 * cosine: lr · ½(1 + cos(π · step / totalSteps)) (Loshchilov & Hutter 2017, without restarts —
 * the seed study's "lr 0.1 / cosine decay"); step: lr · γ^⌊epoch / everyEpochs⌋.
 */
export function learningRate(
  config: Pick<TrainConfig, 'optimizer' | 'schedule'>,
  step: number,
  totalSteps: number,
  stepsPerEpoch: number
): number {
  const base = config.optimizer.lr
  const schedule = config.schedule
  switch (schedule.kind) {
    case 'constant':
      return base
    case 'step':
      return base * schedule.gamma ** Math.floor(Math.floor(step / stepsPerEpoch) / schedule.everyEpochs)
    case 'cosine':
      return base * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps))
  }
}
