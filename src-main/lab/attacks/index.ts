/**
 * The attack library: every attack by id, plus the helpers callers need (Classifier construction,
 * BPDA/EOT wrappers, transfer, ε parsing).
 */
import { LabError } from '../../api/errors'
import { apgdCe, apgdDlr, apgdT } from './apgd'
import { autoAttack, autoAttackFast, autoAttackRand } from './autoattack'
import { cwL2 } from './cw'
import { fabT } from './fab'
import { fgsm } from './fgsm'
import { bim, pgd } from './pgd'
import { fgsmRandomStart, rfgsm } from './rfgsm'
import { square } from './square'
import type { Attack } from './types'

const all: Attack[] = [fgsm, rfgsm, fgsmRandomStart, pgd, bim, apgdCe, apgdDlr, apgdT, fabT, square, cwL2, autoAttack, autoAttackRand, autoAttackFast]

/** id → Attack. */
export const attacks: Readonly<Record<string, Attack>> = Object.freeze(Object.fromEntries(all.map((a) => [a.id, a])))

export const ATTACK_IDS: readonly string[] = all.map((a) => a.id)

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
