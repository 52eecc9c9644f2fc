import { describe, expect, it } from 'vitest'
import { LabError } from '../../../src-main/api/errors'
import { formatEpsilon, parseEpsilon } from '../../../src-main/lab/attacks/epsilon'
import { attacks, getAttack, ATTACK_IDS } from '../../../src-main/lab/attacks/index'

describe('parseEpsilon', () => {
  it('reads fractions of pixel levels the way the literature writes them', () => {
    expect(parseEpsilon('8/255')).toBe(8 / 255)
    expect(parseEpsilon(' 2 / 255 ')).toBe(2 / 255)
    expect(parseEpsilon('0.5/2')).toBe(0.25)
  })

  it('reads decimals, leading-dot decimals and exponents', () => {
    expect(parseEpsilon('0.03')).toBe(0.03)
    expect(parseEpsilon('.5')).toBe(0.5)
    expect(parseEpsilon('1e-2')).toBe(0.01)
    expect(parseEpsilon('0')).toBe(0)
    expect(parseEpsilon(1.5)).toBe(1.5)
  })

  it.each([
    ['', /empty/],
    ['abc', /not a number/],
    ['-0.1', /negative/],
    ['8/-255', /negative/],
    ['8/0', /divides by zero/],
    ['1/2/3', /more than one "\/"/],
    ['0x10', /not a number/]
  ])('rejects %j with a message that says why and how to write it', (input, why) => {
    try {
      parseEpsilon(input)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(LabError)
      expect((error as LabError).message).toMatch(why)
      expect((error as LabError).message).toContain('8/255')
      expect((error as LabError).field).toBe('epsilon')
    }
  })

  it('rejects numbers that are negative or not finite', () => {
    expect(() => parseEpsilon(-1)).toThrow(LabError)
    expect(() => parseEpsilon(Number.NaN)).toThrow(LabError)
    expect(() => parseEpsilon(Infinity)).toThrow(LabError)
  })

  it('formats whole pixel levels back as fractions', () => {
    expect(formatEpsilon(8 / 255)).toBe('8/255')
    expect(formatEpsilon(0.3)).toBe('0.3')
  })
})

describe('attack registry', () => {
  it('holds every attack of the issue under its id, each with a description and norms', () => {
    for (const id of [
      'fgsm',
      'rfgsm',
      'fgsm-rs',
      'pgd',
      'bim',
      'apgd-ce',
      'apgd-dlr',
      'apgd-t',
      'fab-t',
      'square',
      'cw-l2',
      'autoattack',
      'autoattack-rand',
      'autoattack-fast'
    ])
      expect(ATTACK_IDS).toContain(id)
    for (const [id, attack] of Object.entries(attacks)) {
      expect(attack.id).toBe(id)
      expect(attack.description.length).toBeGreaterThan(20)
      expect(attack.norms.length).toBeGreaterThan(0)
    }
  })

  it('labels the fast AutoAttack as not the standard budget', () => {
    expect(getAttack('autoattack-fast').description).toMatch(/not the standard AutoAttack budget/)
  })

  it('names the known attacks when asked for an unknown one', () => {
    expect(() => getAttack('deepfool')).toThrow(/Unknown attack "deepfool".*fgsm/)
  })
})
