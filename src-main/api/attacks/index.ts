/**
 * The attack catalogue: every attack's declaration (one file per family beside this one), in the
 * order menus and help list them. The lab's attack library implements exactly these ids; the
 * request handlers, sweep files, the CLI and the renderer read them from here.
 */
import { LabError } from '../errors'
import { parseAttackSettings, resolveAttackSettings, type AttackContext, type AttackDeclaration, type Norm } from './declaration'
import { fgsmDeclaration } from './fgsm'
import { fgsmRandomStartDeclaration, rfgsmDeclaration } from './rfgsm'
import { bimDeclaration, pgdDeclaration } from './pgd'
import { apgdCeDeclaration, apgdDlrDeclaration, apgdTDeclaration } from './apgd'
import { fabTDeclaration } from './fab'
import { squareDeclaration } from './square'
import { cwL2Declaration } from './cw'
import { autoAttackDeclaration, autoAttackFastDeclaration, autoAttackRandDeclaration } from './autoattack'
import { spatialGridDeclaration, spatialRandomDeclaration } from './spatial'

export const ATTACK_DECLARATIONS: readonly AttackDeclaration<unknown, unknown>[] = [
  fgsmDeclaration,
  pgdDeclaration,
  bimDeclaration,
  rfgsmDeclaration,
  fgsmRandomStartDeclaration,
  apgdCeDeclaration,
  apgdDlrDeclaration,
  apgdTDeclaration,
  fabTDeclaration,
  squareDeclaration,
  cwL2Declaration,
  autoAttackDeclaration,
  autoAttackRandDeclaration,
  autoAttackFastDeclaration,
  spatialGridDeclaration,
  spatialRandomDeclaration
] as readonly AttackDeclaration<unknown, unknown>[]

export const ATTACK_IDS: readonly string[] = ATTACK_DECLARATIONS.map((d) => d.id)

/** The declaration of this attack; a LabError naming the field and listing the known ids otherwise. */
export function attackDeclaration(id: string, field = 'attack'): AttackDeclaration<unknown, unknown> {
  const declaration = ATTACK_DECLARATIONS.find((d) => d.id === id)
  if (!declaration) throw new LabError('bad_input', `There is no attack "${id}". Known attacks: ${ATTACK_IDS.join(', ')}.`, field)
  return declaration
}

/**
 * What a request can check before anything runs: the attack exists, supports the norm, and its
 * settings are ones it has, with values of the right kind. With a context (ε, classes), also the
 * limits that depend on it (R-FGSM's α ≤ ε, targets ≤ classes − 1). Throws a LabError.
 */
export function checkAttackChoice(
  choice: { attack: string; settings?: Record<string, unknown> },
  norm: Norm,
  context?: AttackContext,
  field = 'attack'
): void {
  const declaration = attackDeclaration(choice.attack, field)
  if (!declaration.norms.includes(norm))
    throw new LabError('bad_input', `Attack ${declaration.id} supports ${declaration.norms.join(' and ')}, not ${norm}.`, 'norm')
  if (context) resolveAttackSettings(declaration, choice.settings ?? {}, context)
  else parseAttackSettings(declaration, choice.settings ?? {})
}

export {
  parseAttackSettings,
  resolveAttackSettings,
  NormSchema,
  type AttackContext,
  type AttackDeclaration,
  type Norm
} from './declaration'
export { AUTOATTACK_VERSIONS, type AutoAttackVersion } from './autoattack'
export type { PgdSettings } from './pgd'
