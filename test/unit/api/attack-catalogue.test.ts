/**
 * The attack catalogue (api/attacks) is the one statement of every attack's settings and defaults:
 * parsing fills in the papers' defaults, ε-relative defaults come from each declaration's resolve,
 * and an unknown or misspelled setting is refused naming the attack's settings.
 */
import { describe, expect, it } from 'vitest'
import { ATTACK_IDS, attackDeclaration, checkAttackChoice, parseAttackSettings, resolveAttackSettings } from '../../../src-main/api/attacks'
import { attacks } from '../../../src-main/lab/attacks'

const context = { epsilon: 0.3, numClasses: 10 }

describe('the attack catalogue', () => {
  it('declares every attack the library implements, once', () => {
    expect(new Set(ATTACK_IDS).size).toBe(ATTACK_IDS.length)
    expect(Object.keys(attacks)).toEqual([...ATTACK_IDS])
    for (const id of ATTACK_IDS) {
      const d = attackDeclaration(id)
      expect(attacks[id]).toMatchObject({ id, description: d.description, norms: d.norms })
      expect(d.paper.length, id).toBeGreaterThan(10)
    }
  })

  it("fills in the papers' defaults: PGD 10 steps of 2.5·ε/10 from a random start (Madry et al.), BIM without one", () => {
    expect(resolveAttackSettings(attackDeclaration('pgd'), {}, context)).toEqual({
      steps: 10,
      stepSize: 0.075,
      restarts: 1,
      randomStart: true,
      loss: 'ce'
    })
    expect(resolveAttackSettings(attackDeclaration('bim'), { steps: 40 }, context)).toMatchObject({
      steps: 40,
      stepSize: (2.5 * 0.3) / 40,
      randomStart: false
    })
  })

  it('resolves R-FGSM α = ε/2 (Tramèr et al.), FGSM-RS α = 1.25·ε (Wong et al.) and targets = min(9, classes − 1)', () => {
    expect(resolveAttackSettings(attackDeclaration('rfgsm'), {}, context)).toEqual({ alpha: 0.15, loss: 'ce' })
    expect((resolveAttackSettings(attackDeclaration('fgsm-rs'), {}, context) as { alpha: number }).alpha).toBeCloseTo(0.375, 12)
    expect(resolveAttackSettings(attackDeclaration('apgd-t'), {}, { epsilon: 0.3, numClasses: 4 })).toEqual({
      steps: 100,
      restarts: 1,
      targets: 3
    })
    expect(resolveAttackSettings(attackDeclaration('fab-t'), {}, context)).toEqual({
      steps: 100,
      targets: 9,
      alphaMax: 0.1,
      eta: 1.05,
      beta: 0.9
    })
  })

  it('refuses a misspelled setting, naming it and the settings the attack has', () => {
    expect(() => parseAttackSettings(attackDeclaration('pgd'), { stpes: 100 })).toThrow(
      'Attack "pgd" has no setting "stpes"; its settings are steps, stepSize, restarts, randomStart, loss.'
    )
    expect(() => parseAttackSettings(attackDeclaration('autoattack-fast'), { version: 'fast' })).toThrow(
      'Attack "autoattack-fast" has no setting "version"; it takes no settings.'
    )
  })

  it('refuses values of the wrong kind or outside their limits, naming the setting and the value', () => {
    expect(() => parseAttackSettings(attackDeclaration('pgd'), { steps: 2.5 })).toThrow(
      'Attack "pgd": setting "steps" must be a whole number (got 2.5).'
    )
    expect(() => parseAttackSettings(attackDeclaration('fgsm'), { loss: 'hinge' })).toThrow(
      'Attack "fgsm": setting "loss" must be one of ce, margin (got "hinge").'
    )
    expect(() => resolveAttackSettings(attackDeclaration('rfgsm'), { alpha: 0.5 }, context)).toThrow(
      'Attack "rfgsm": setting "alpha" must be ≤ ε = 0.3 (got 0.5).'
    )
    expect(() => resolveAttackSettings(attackDeclaration('apgd-t'), { targets: 10 }, context)).toThrow(
      'Attack "apgd-t": setting "targets" must be ≤ 9 (the model has 10 classes) (got 10).'
    )
  })

  it('accepts numbers written as text, as config files and the CLI give them', () => {
    expect(parseAttackSettings(attackDeclaration('square'), { queries: '300' })).toEqual({ queries: 300, pInit: 0.8 })
  })

  it('checks the attack exists and supports the norm', () => {
    expect(() => checkAttackChoice({ attack: 'pgdd' }, 'Linf')).toThrow(/^There is no attack "pgdd"\. Known attacks: fgsm, pgd, bim/)
    expect(() => checkAttackChoice({ attack: 'cw-l2' }, 'Linf')).toThrow('Attack cw-l2 supports L2, not Linf.')
  })
})
