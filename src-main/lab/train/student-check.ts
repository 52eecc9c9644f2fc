/**
 * Whether a distilled student failed to learn (issue 13): a student that ends within 15 points of
 * chance, or 20 or more points below its teacher, is no defence worth evaluating — its "robust
 * accuracy" would only measure a model that never learnt. Pure, so the distillation job (which logs
 * a warning and puts the verdict in the run's summary) and a study's reading judge alike.
 */

/** Points above chance (1/classes) under which a model has not learnt its task. */
export const NEAR_CHANCE = 0.15
/** Points below its teacher at which a student has failed to distil it. */
export const BELOW_TEACHER = 0.2

export interface StudentOutcome {
  /** The student's clean test accuracy at T = 1 (null: no test split). */
  testAccuracy: number | null
  /** Its teacher's clean test accuracy on the same test images (null: unknown). */
  teacherAccuracy: number | null
  /** Accuracy of guessing: 1 / the number of classes. */
  chance: number
}

export interface StudentFailure {
  reasons: ('near-chance' | 'below-teacher')[]
  /** One sentence for the run's events and a reading, with the numbers. */
  message: string
}

/** The failure, or null when the student learnt (or there is no test accuracy to judge). */
export function studentFailed(outcome: StudentOutcome): StudentFailure | null {
  const { testAccuracy: student, teacherAccuracy: teacher, chance } = outcome
  if (student === null) return null
  const reasons: StudentFailure['reasons'] = []
  const says: string[] = []
  // A small tolerance, so that a student exactly on a threshold counts whatever the float rounding.
  const eps = 1e-9
  if (student <= chance + NEAR_CHANCE + eps) {
    reasons.push('near-chance')
    says.push(`within ${points(NEAR_CHANCE)} of chance (${pct(chance)})`)
  }
  if (teacher !== null && student <= teacher - BELOW_TEACHER + eps) {
    reasons.push('below-teacher')
    says.push(`${points(teacher - student)} below its teacher (${pct(teacher)})`)
  }
  if (!reasons.length) return null
  return {
    reasons,
    message: `The student did not learn: its clean accuracy ${pct(student)} is ${says.join(' and ')}. Its robustness numbers would describe a model that never learnt: check the teacher, the loss form, the learning rate and the epochs.`
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`
const points = (v: number) => `${(v * 100).toFixed(1)} points`
