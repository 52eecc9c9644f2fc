/** Attacks by id: the catalogue's declaration (api/attacks) decides whether an id exists. */
import { attackDeclaration } from '../../api/attacks'
import { attacks } from '../attacks'
import type { Attack } from '../attacks/types'

export function findAttack(id: string, field = 'attack'): Attack {
  attackDeclaration(id, field)
  return attacks[id]
}
