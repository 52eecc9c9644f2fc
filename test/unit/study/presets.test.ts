/**
 * The study presets say what the seed write-up says: seed-paper carries its exact settings, and
 * every distillation part makes up for the gradient that logits / T makes T times smaller: the
 * teacher through lr · T, the student through its default loss, which carries the factor T.
 */
import { describe, expect, it } from 'vitest'
import { resolvePreset, ARMS } from '../../../src-main/lab/study/presets'
import { DEFAULT_DISTILL_LOSS, TrainConfigSchema } from '../../../src-main/api/train'

describe('seed-paper', () => {
  const study = resolvePreset('seed-paper', 'cifar10', {})
  it('uses the write-up’s settings: ResNet-18, SGD lr 0.1 cosine, 200 epochs, T = 20, α = 0.7, ε ∈ {2,4,8}/255, standard AutoAttack, 3 seeds', () => {
    const b = study.baseline(1)
    expect(b.model.arch).toBe('resnet18')
    expect(b.optimizer).toMatchObject({ kind: 'sgd', lr: 0.1 })
    expect(b.schedule).toEqual({ kind: 'cosine' })
    expect(b.epochs).toBe(200)
    expect(b.subset).toEqual({})
    expect(study.settings.temperature).toBe(20)
    expect(study.settings.alpha).toBe(0.7)
    expect(study.plan.epsilons.map((e) => Math.round(e * 255))).toEqual([2, 4, 8])
    expect(study.plan.epsilon).toBeCloseTo(8 / 255, 12)
    expect(study.plan.budget).toBe('thorough')
    expect(study.plan.budgetNote).toMatch(/AutoAttack "standard".* on the first 1000 images/)
    expect(study.plan.seeds).toEqual([1, 2, 3])
  })
  it('trains the teacher at lr · T with weight decay / T, and the student at lr on its loss times T — the same steps at T = 20 as at T = 1', () => {
    const base = study.baseline(1).optimizer as { lr: number; weightDecay: number }
    const teacher = study.teacher(1).optimizer as { lr: number; weightDecay: number }
    expect(teacher.lr).toBeCloseTo(base.lr * 20, 12)
    expect(teacher.lr * teacher.weightDecay).toBeCloseTo(base.lr * base.weightDecay, 12)
    expect(DEFAULT_DISTILL_LOSS).toBe('seed-times-t')
    expect(study.student(1, false).optimizer).toEqual(study.baseline(1).optimizer)
    expect(study.plan.training.distillation).toMatchObject({ temperature: 20, alpha: 0.7, loss: 'seed-times-t' })
    expect(study.teacher(1).temperature).toBe(20)
  })
})

describe('seed-quick', () => {
  it('has the four strategies of the seed table, and every config it trains is valid', () => {
    const study = resolvePreset('seed-quick', 'mnist', {})
    expect(ARMS.map((a) => a.label)).toEqual(['Baseline', 'Defensive distillation', 'Distill + PGD 5-step', 'Gradient-mask toy'])
    expect(study.plan.epsilons).toEqual([0.1, 0.2, 0.3])
    for (const c of [study.baseline(2), study.teacher(2), { ...study.student(2, true), temperature: 20 }])
      expect(TrainConfigSchema.safeParse(c).success).toBe(true)
    expect(study.student(2, true).defence).toMatchObject({ kind: 'pgd-at', steps: 5 })
    expect(study.student(2, false).defence).toBeUndefined()
  })
  it('takes the scale overrides and records them in the plan', () => {
    const study = resolvePreset('seed-quick', 'mnist', { seeds: 1, trainImages: 500, evalImages: 40, epochs: 2 })
    expect(study.plan.seeds).toEqual([1])
    expect(study.baseline(1).subset.train).toBe(500)
    expect(study.baseline(1).epochs).toBe(2)
    expect(study.plan.evalImages).toBe(40)
    expect(study.plan.scale).toEqual({ seeds: 1, trainImages: 500, evalImages: 40, epochs: 2 })
    expect(study.plan.budgetNote).toMatch(/^40 test images/)
  })
})

import { formatEpsilon as epsilonText } from '../../../src-main/api/epsilon'
describe('ε in reports', () => {
  it('reads as written: 0.2 stays 0.2 (not 51/255), 8/255 stays a fraction', () => {
    expect([0.1, 0.2, 0.3, 8 / 255, 2 / 255, 0.5, 0.0123456].map(epsilonText)).toEqual([
      '0.1',
      '0.2',
      '0.3',
      '8/255',
      '2/255',
      '0.5',
      '0.01235'
    ])
  })
})
