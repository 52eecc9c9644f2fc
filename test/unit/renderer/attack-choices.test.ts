/** The sweep wizard offers exactly the attacks the engine knows: none missing, none it would refuse. */
import { describe, expect, it } from 'vitest'
import { ATTACK_IDS } from '../../../src-main/lab/attacks'
import { loadRenderer } from './loadRenderer'

const defaults = await loadRenderer<{ ATTACKS: readonly string[] }>('wizards/defaults')

describe('attack choices', () => {
  it('are the engine registry’s attack ids', () => {
    expect([...defaults.ATTACKS].sort()).toEqual([...ATTACK_IDS].sort())
  })
})
