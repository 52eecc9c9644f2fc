/** Attacks by id, from the attacks library's registry (lab/attacks/index.ts). */
import { LabError } from '../../api/errors'
import { attacks } from '../attacks'
import type { Attack } from '../attacks/types'

export function findAttack(id: string, field = 'attack'): Attack {
  const attack = attacks[id]
  if (!attack) throw new LabError('bad_input', `There is no attack "${id}". Known attacks: ${Object.keys(attacks).join(', ')}.`, field)
  return attack
}
