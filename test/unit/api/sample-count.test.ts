/**
 * Sample counts in attack, evaluation and sweep requests: an emptied wizard field (sent as '') is
 * refused as empty rather than replaced by the default, and a bad count names the allowed range.
 */
import { describe, expect, it } from 'vitest'
import { AttackRequestSchema, SweepRequestSchema } from '../../../src-main/api/evaluation'

const issueOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))[0]

describe('sample counts', () => {
  it('an emptied n is an error saying so, not the default', () => {
    expect(issueOf(SweepRequestSchema.safeParse({ runIds: [1], attacks: [{ attack: 'fgsm' }], epsilons: [0.1], n: '' }))).toEqual({
      path: 'n',
      message: 'is empty: give a whole number of test images from 1 to 100,000'
    })
  })

  it('a count outside 1 … 100,000 or not whole names the range', () => {
    for (const n of [0, 2.5, 200_000])
      expect(issueOf(AttackRequestSchema.safeParse({ runId: 1, attack: 'fgsm', epsilon: 0.1, n }))).toEqual({
        path: 'n',
        message: 'must be a whole number of test images from 1 to 100,000'
      })
  })

  it('an absent n is the default 1,000', () => {
    expect(AttackRequestSchema.parse({ runId: 1, attack: 'fgsm', epsilon: 0.1 }).n).toBe(1000)
  })
})
