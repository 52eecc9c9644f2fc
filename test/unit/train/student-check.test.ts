/**
 * A distilled student is flagged when it ends within 15 points of chance or 20 points (or more)
 * below its teacher (issue 13); otherwise, or with no test accuracy to judge, it is not.
 */
import { describe, expect, it } from 'vitest'
import { studentFailed } from '../../../src-main/lab/train/student-check'

const chance = 0.1

describe('studentFailed', () => {
  it('passes a student that learnt, close to its teacher', () => {
    expect(studentFailed({ testAccuracy: 0.9, teacherAccuracy: 0.93, chance })).toBeNull()
    expect(studentFailed({ testAccuracy: 0.74, teacherAccuracy: 0.93, chance })).toBeNull()
  })

  it('flags a student within 15 points of chance, even without a teacher accuracy', () => {
    expect(studentFailed({ testAccuracy: 0.25, teacherAccuracy: null, chance })?.reasons).toEqual(['near-chance'])
    expect(studentFailed({ testAccuracy: 0.26, teacherAccuracy: null, chance })).toBeNull()
  })

  it('flags a student 20 points or more below its teacher, saying both numbers', () => {
    const f = studentFailed({ testAccuracy: 0.73, teacherAccuracy: 0.93, chance })
    expect(f?.reasons).toEqual(['below-teacher'])
    expect(f?.message).toContain('73.0%')
    expect(f?.message).toContain('93.0%')
  })

  it('gives both reasons for the student issue 13 saw (17% against a 93% teacher)', () => {
    expect(studentFailed({ testAccuracy: 0.17, teacherAccuracy: 0.93, chance })?.reasons).toEqual(['near-chance', 'below-teacher'])
  })

  it('judges nothing without a test accuracy', () => {
    expect(studentFailed({ testAccuracy: null, teacherAccuracy: 0.93, chance })).toBeNull()
  })
})
