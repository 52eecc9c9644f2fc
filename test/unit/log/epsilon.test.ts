/**
 * ε is written one way across the product: the contract's formatter is the only one, and every
 * place that shows an ε (defence names, exports, the study report, the renderer) reads it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { formatEpsilon, sameEpsilon } from '../../../src-main/api/epsilon'
import { DefenceSchema } from '../../../src-main/api/defences'
import { describeDefence } from '../../../src-main/lab/defences/training'
import { runChecks, type MaskingEvidence } from '../../../src-main/lab/eval/diagnostics/checks'
import { formatResultsTable } from '../../../src-main/lab/store/export/table'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { addRun, freshLog, type Lab } from './fixtures'

let lab: Lab | undefined
afterEach(() => lab?.cleanup())

describe('one ε format', () => {
  it('writes short decimals as decimals (0.2 is never 51/255), whole grey levels as k/255, else 4 significant digits', () => {
    expect([0.1, 0.2, 0.3, 0.5, 1, 0, 0.03].map(formatEpsilon)).toEqual(['0.1', '0.2', '0.3', '0.5', '1', '0', '0.03'])
    expect([8 / 255, 2 / 255, 1 / 255, 16 / 255].map(formatEpsilon)).toEqual(['8/255', '2/255', '1/255', '16/255'])
    expect([0.0123456, 0.1 + 0.2].map(formatEpsilon)).toEqual(['0.01235', '0.3'])
  })

  it('treats ε computed two ways as one budget', () => {
    expect(sameEpsilon(8 / 255, 0.03137254901960784)).toBe(true)
    expect(sameEpsilon(2 / 255, 8 / 255)).toBe(false)
  })

  it('prints ε = 0.2 the same in a defence name, a results-table export and the contract', () => {
    const defence = DefenceSchema.parse({ kind: 'fgsm-at', epsilon: 0.2 })
    expect(describeDefence(defence)).toContain(`ε=${formatEpsilon(0.2)}`)
    lab = freshLog('eps-format')
    const id = addRun(lab.db, {
      name: 'a',
      evals: [
        ['clean', 'Linf', 0, 0.9],
        ['fgsm', 'Linf', 0.2, 0.5]
      ]
    })
    const md = formatResultsTable(buildResultsTable(lab.db, { ids: [id] }), 'md')
    expect(md).toContain(`FGSM (ε=${formatEpsilon(0.2)})`)
    expect(md).not.toContain('51/255')
  })

  it('prints ε the same in the masking checks’ summaries (8/255, not 0.0313725…)', () => {
    const evidence = {
      numClasses: 10,
      n: 100,
      epsilon: 8 / 255,
      cleanAccuracy: 0.9,
      fgsm: 0.2,
      pgd: 0.1,
      autoattack: null,
      square: null,
      transfer: null,
      adaptive: null,
      hasMaskingLayers: false,
      curve: [
        { epsilon: 8 / 255, accuracy: 0.1 },
        { epsilon: 0.2, accuracy: 0 }
      ],
      zeroGradientShare: 0,
      probabilityLike: false,
      medianTopLogitGap: 8,
      maxLogitChange: 0
    } as MaskingEvidence
    const summaries = runChecks(evidence)
      .map((c) => c.summary)
      .join(' ')
    expect(summaries).toContain(`ε=${formatEpsilon(8 / 255)}`)
    expect(summaries).toContain(`ε=${formatEpsilon(0.2)}`)
    expect(summaries).not.toMatch(/0\.0313/)
  })
})
