/** The sweep wizard offers exactly the attacks the contract declares: none missing, none the service would refuse. */
import { describe, expect, it } from 'vitest'
import { ATTACK_DECLARATIONS } from '../../../src-main/api/attacks'
import { loadRenderer } from './loadRenderer'

const defaults = await loadRenderer<{
  ATTACKS: readonly string[]
  attackHint: (id: string, t: (k: string) => string, te: (k: string) => boolean) => string
}>('wizards/defaults')

describe('attack choices', () => {
  it("are the declarations' ids, in the catalogue's order", () => {
    expect([...defaults.ATTACKS]).toEqual(ATTACK_DECLARATIONS.map((d) => d.id))
  })

  it("fall back to the declaration's description where the locale has no short hint", () => {
    const none = () => false
    for (const d of ATTACK_DECLARATIONS) expect(defaults.attackHint(d.id, (k) => k, none)).toBe(d.description)
  })
})
