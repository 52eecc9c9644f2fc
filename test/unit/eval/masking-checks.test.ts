/**
 * The verdict rule on the seed study's own table: its baseline is "no", its gradient-mask toy
 * "yes", its distilled model "possible" — given the evidence a full evaluation measures. And every
 * check that lacks its evidence says not-run rather than passed.
 */
import { describe, expect, it } from 'vitest'
import { runChecks, verdictOf, type MaskingEvidence } from '../../../src-main/lab/eval/diagnostics/checks'

const honest: MaskingEvidence = {
  numClasses: 10,
  n: 1000,
  epsilon: 8 / 255,
  cleanAccuracy: 0.934,
  fgsm: 0.218,
  pgd: 0.175,
  autoattack: { accuracy: 0.173, fgsm: 0.218, pgd: 0.175 },
  square: { accuracy: 0.3, pgd: 0.175 },
  transfer: null,
  adaptive: null,
  hasMaskingLayers: false,
  curve: [
    { epsilon: 2 / 255, accuracy: 0.6 },
    { epsilon: 8 / 255, accuracy: 0.175 },
    { epsilon: 0.5, accuracy: 0.0 }
  ],
  zeroGradientShare: 0,
  probabilityLike: false,
  medianTopLogitGap: 8,
  maxLogitChange: 0
}

const fired = (e: MaskingEvidence) => verdictOf(runChecks(e))

describe('the gradient-masking verdict', () => {
  it('the undefended baseline of the seed table (FGSM 21.8 %, AutoAttack 17.3 %) is "no"', () => {
    expect(fired(honest)).toEqual({ verdict: 'no', fired: [] })
  })

  it('the gradient-mask toy (FGSM 71.2 %, AutoAttack 18.1 %, zero gradients, BPDA breaks it) is "yes"', () => {
    const toy: MaskingEvidence = {
      ...honest,
      fgsm: 0.712,
      pgd: 0.7,
      autoattack: { accuracy: 0.181, fgsm: 0.712, pgd: 0.7 },
      square: { accuracy: 0.25, pgd: 0.7 },
      adaptive: 0.18,
      hasMaskingLayers: true,
      zeroGradientShare: 1
    }
    const { verdict, fired: ids } = fired(toy)
    expect(verdict).toBe('yes')
    expect(ids).toEqual([2, 4, 7, 8])
  })

  it('defensive distillation (FGSM 53.1 %, AutoAttack 24.8 %, saturated logits) is "possible"', () => {
    const distilled: MaskingEvidence = {
      ...honest,
      fgsm: 0.531,
      pgd: 0.45,
      autoattack: { accuracy: 0.248, fgsm: 0.531, pgd: 0.45 },
      square: { accuracy: 0.46, pgd: 0.45 },
      medianTopLogitGap: 120
    }
    expect(fired(distilled)).toEqual({ verdict: 'possible', fired: [5, 8] })
  })

  it('a single strong sign alone is "possible"; with any second sign it is "yes"', () => {
    const weakerIterative = {
      ...honest,
      fgsm: 0.3,
      pgd: 0.4,
      autoattack: { accuracy: 0.2, fgsm: 0.3, pgd: 0.4 },
      square: { accuracy: 0.45, pgd: 0.4 }
    }
    expect(fired(weakerIterative)).toEqual({ verdict: 'possible', fired: [1] })
    expect(fired({ ...weakerIterative, maxLogitChange: 0.5 })).toEqual({ verdict: 'yes', fired: [1, 6] })
  })

  it('flags an ε-curve that rises, or stays far above chance at the sanity ε', () => {
    const rising = {
      ...honest,
      curve: [
        { epsilon: 0.01, accuracy: 0.5 },
        { epsilon: 0.03, accuracy: 0.6 },
        { epsilon: 0.5, accuracy: 0.05 }
      ]
    }
    expect(fired(rising).fired).toEqual([3])
    const stuck = {
      ...honest,
      curve: [
        { epsilon: 0.03, accuracy: 0.5 },
        { epsilon: 0.5, accuracy: 0.45 }
      ]
    }
    expect(fired(stuck).fired).toEqual([3])
  })

  it('an FGSM gap that PGD closes is an honest weak attack, not masking', () => {
    const weakFgsm = { ...honest, fgsm: 0.6, autoattack: { accuracy: 0.1, fgsm: 0.6, pgd: 0.12 } }
    expect(fired(weakFgsm).verdict).toBe('no')
  })

  it('reports checks without evidence as not-run, and never counts them', () => {
    const bare: MaskingEvidence = {
      ...honest,
      fgsm: null,
      pgd: null,
      autoattack: null,
      square: null,
      curve: [],
      zeroGradientShare: null,
      probabilityLike: null,
      medianTopLogitGap: null,
      maxLogitChange: null
    }
    const checks = runChecks(bare)
    expect(checks.map((c) => c.status)).toEqual(Array(8).fill('not-run'))
    expect(checks.find((c) => c.id === 7)!.summary).toMatch(/no non-differentiable or random layer/)
    expect(verdictOf(checks).verdict).toBe('no')
  })

  it('names every check and keeps its numbers', () => {
    const checks = runChecks(honest)
    expect(checks.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(checks.every((c) => c.name.length > 0)).toBe(true)
    expect(checks[0].numbers).toMatchObject({ fgsm: 0.218, pgd: 0.175 })
  })
})
