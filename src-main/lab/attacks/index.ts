/**
 * The attack library: one implementation per declared attack (api/attacks), plus the helpers
 * callers need (Classifier construction, BPDA/EOT wrappers, transfer, ε parsing).
 */
import { LabError } from '../../api/errors'
import { ATTACK_DECLARATIONS, ATTACK_IDS } from '../../api/attacks'
import { apgdCe, apgdDlr, apgdT } from './apgd'
import { autoAttack, autoAttackFast, autoAttackRand } from './autoattack'
import { cwL2 } from './cw'
import { fabT } from './fab'
import { fgsm } from './fgsm'
import { bim, pgd } from './pgd'
import { fgsmRandomStart, rfgsm } from './rfgsm'
import { square } from './square'
import { spatialGridAttack, spatialRandomAttack } from './spatial'
import type { Attack } from './types'

const implemented: Attack[] = [
  fgsm,
  rfgsm,
  fgsmRandomStart,
  pgd,
  bim,
  apgdCe,
  apgdDlr,
  apgdT,
  fabT,
  square,
  cwL2,
  autoAttack,
  autoAttackRand,
  autoAttackFast,
  spatialGridAttack,
  spatialRandomAttack
]

/** id → Attack, in the catalogue's order; every declared attack has exactly one implementation. */
export const attacks: Readonly<Record<string, Attack>> = Object.freeze(
  Object.fromEntries(
    ATTACK_DECLARATIONS.map((d) => {
      const attack = implemented.find((a) => a.id === d.id)
      if (!attack) throw new Error(`attack "${d.id}" is declared in api/attacks but has no implementation in lab/attacks`)
      return [d.id, attack]
    })
  )
)

export { ATTACK_IDS }

/** The attack with this id; a LabError listing the known ids otherwise. */
export function getAttack(id: string): Attack {
  const attack = attacks[id]
  if (!attack) throw new LabError('not_found', `Unknown attack "${id}". Known attacks: ${ATTACK_IDS.join(', ')}.`, 'attack')
  return attack
}

export type { Attack, AttackParams, AttackResult, AttackStage, Classifier, Norm } from './types'
export { classifierFromModel, classifierFromFunction } from './classifier'
export { withBpda, straightThrough } from './bpda'
export { withEot } from './eot'
export { runTransfer, transferAttack } from './transfer'
export { parseEpsilon, formatEpsilon } from './epsilon'
export { runAutoAttack, autoAttackPlan, AUTOATTACK_VERSIONS } from './autoattack'
