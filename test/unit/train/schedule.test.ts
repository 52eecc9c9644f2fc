import { describe, expect, it } from 'vitest'
import { learningRate } from '../../../src-main/lab/train/schedule'

const sgd = { kind: 'sgd' as const, lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 5e-4 }

describe('learning-rate schedules', () => {
  it('cosine decays from lr to 0 along half a cosine (the seed study: lr 0.1 / cosine)', () => {
    const config = { optimizer: sgd, schedule: { kind: 'cosine' as const } }
    expect(learningRate(config, 0, 1000, 100)).toBeCloseTo(0.1, 12)
    expect(learningRate(config, 500, 1000, 100)).toBeCloseTo(0.05, 12)
    expect(learningRate(config, 250, 1000, 100)).toBeCloseTo(0.05 * (1 + Math.SQRT1_2), 12)
    expect(learningRate(config, 1000, 1000, 100)).toBeCloseTo(0, 12)
  })

  it('step multiplies by gamma every `everyEpochs` epochs', () => {
    const config = { optimizer: sgd, schedule: { kind: 'step' as const, everyEpochs: 2, gamma: 0.5 } }
    expect([0, 199, 200, 399, 400].map((s) => learningRate(config, s, 1000, 100))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025])
  })

  it('constant stays at lr', () => {
    expect(learningRate({ optimizer: sgd, schedule: { kind: 'constant' } }, 777, 1000, 100)).toBe(0.1)
  })
})
