/**
 * Evaluation results that are certified bounds, not attacks: what they record as "accuracy" is a
 * proven lower bound on the accuracy under any attack within ε, so they are read and shown apart
 * from attack results (no "drop", no place on the attack ε-curve).
 */
export const CERTIFIED_METHODS = ['ibp', 'crown', 'smoothing'] as const

export function isCertifiedBound(attack: string): boolean {
  return (CERTIFIED_METHODS as readonly string[]).includes(attack)
}
