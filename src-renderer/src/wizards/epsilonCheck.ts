/**
 * The wizards' ε check: the contract's own (api/epsilon-range.ts), so a wizard says the same
 * sentence the service would answer with — before anything is sent.
 */
import { checkEpsilon, type ImageShape } from '@api/epsilon-range'

/** The first of these ε the service would refuse, as its message; undefined when all are usable. */
export function epsilonProblem(
  values: number[],
  norm: 'Linf' | 'L2',
  shape: ImageShape | null | undefined,
  field: (index: number) => string
): string | undefined {
  for (let i = 0; i < values.length; i++) {
    const problem = checkEpsilon(values[i], norm, shape, field(i))
    if (problem) return problem
  }
  return undefined
}
