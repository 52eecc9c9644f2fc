/**
 * The generated reading and the report formats, on a study report built in code: the sentences say
 * what the seed write-up says of such numbers, and every format carries the same table.
 */
import { describe, expect, it } from 'vitest'
import type { StudyReport, StudyRow } from '../../../src-main/api/studies'
import { readResult, listWords } from '../../../src-main/lab/study/reading'
import { formatStudyReport, studyTable } from '../../../src-main/lab/study/report-formats'
import { resolvePreset } from '../../../src-main/lab/study/presets'
import { studyCutFacts, studyCuts } from '../../../src-main/lab/study/cuts'

const s = (mean: number, std = 0, n = 3) => ({ mean, std, n })
const check = (id: number, name: string, strength: 'strong' | 'weak') => ({ id, name, seeds: 3, strength, summary: `${name} evidence` })

function row(
  arm: string,
  label: string,
  clean: number,
  fgsm: number[],
  aa: number,
  verdict: string,
  fired: StudyRow['fired'] = []
): StudyRow {
  return {
    arm,
    label,
    modelRunIds: [1, 2, 3],
    clean: s(clean, 0.01),
    fgsm: fgsm.map((v) => s(v, 0.02)),
    pgd: s(aa + 0.01),
    autoattack: s(aa, 0.01),
    verdict,
    verdicts: [verdict, verdict, verdict],
    fired,
    checks: [],
    notLearnt: null
  }
}

function fixture(): StudyReport {
  const plan = resolvePreset('seed-quick', 'mnist', {}).plan
  return {
    study: {
      id: 7,
      name: 'seed-quick on mnist',
      preset: 'seed-quick',
      status: 'completed',
      error: null,
      createdAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:10:00Z',
      seconds: 600,
      runs: { total: 39, completed: 39, failed: 0 }
    },
    plan,
    rows: [
      row('baseline', 'Baseline', 0.95, [0.6, 0.3, 0.1], 0.0, 'no'),
      row('distillation', 'Defensive distillation', 0.94, [0.8, 0.6, 0.5], 0.02, 'yes', [
        check(2, 'Black-box or transfer beats white-box', 'strong'),
        check(8, 'FGSM far above AutoAttack', 'weak')
      ]),
      row('distillation-pgd', 'Distill + PGD 5-step', 0.9, [0.85, 0.7, 0.55], 0.5, 'no'),
      row('toy', 'Gradient-mask toy', 0.95, [0.95, 0.95, 0.95], 0.01, 'yes', [
        check(4, 'Zero input gradients', 'strong'),
        check(7, 'BPDA/EOT beat plain gradients', 'strong')
      ])
    ],
    curves: [
      {
        attack: 'FGSM',
        arm: 'baseline',
        label: 'Baseline',
        points: [0.1, 0.2, 0.3].map((e, i) => ({ epsilon: e, accuracy: s([0.6, 0.3, 0.1][i]) }))
      }
    ],
    reading: [],
    cuts: studyCuts(plan),
    cutFacts: studyCutFacts(plan),
    chance: 0.1,
    timings: { training: 300, 'study wall time': 600 },
    failures: []
  }
}

describe('the reading', () => {
  const lines = readResult(fixture())
  it('states how far FGSM brings the baseline down', () => {
    expect(lines[0]).toBe(
      'Baseline reaches 95.0% ± 1.0% clean accuracy; FGSM at ε = 0.3 brings it down to 10.0% ± 2.0% (85.0 points lower); AutoAttack leaves 0.0% ± 1.0%. No masking check fired (verdict no).'
    )
  })
  it('calls a gain that AutoAttack erases masking, naming the checks that fired', () => {
    const d = lines.find((l) => l.startsWith('Defensive distillation'))!
    expect(d).toContain('raised FGSM accuracy at ε = 0.3 from 10.0% ± 2.0% to 50.0% ± 2.0%, but AutoAttack accuracy is 2.0% ± 1.0%')
    expect(d).toContain(
      'FGSM overestimates it by 48.0 points; the gain is masking: checks 2 and 8 fired (Black-box or transfer beats white-box; FGSM far above AutoAttack)'
    )
    const toy = lines.find((l) => l.startsWith('Gradient-mask toy'))!
    expect(toy).toContain("back at the baseline's 0.0% ± 1.0%")
  })
  it('calls a gain that survives AutoAttack a gain', () => {
    const p = lines.find((l) => l.startsWith('Distill + PGD 5-step'))!
    expect(p).toContain('AutoAttack accuracy stays at 50.0% ± 1.0%')
    expect(p).not.toContain('masking:')
  })
  it('lists the suspects and states the budget', () => {
    expect(lines).toContain(
      'Gradient masking is suspected for Defensive distillation and Gradient-mask toy: judge these by the AutoAttack column, not by FGSM.'
    )
    expect(lines.at(-1)).toMatch(
      /^Numbers are the mean ± sample std over 3 seeds on 100 test images; 100 test images per model; FGSM at ε ∈ \{0\.1, 0\.2, 0\.3\}/
    )
    expect(listWords(['1', '2', '8'])).toBe('1, 2 and 8')
  })
})

describe('a reduced study states its cuts and refuses to read a model that did not learn', () => {
  it('lists every cut against the write-up: model and data, training images, epochs, evaluated images, budget', () => {
    const cuts = studyCuts(resolvePreset('seed-quick', 'mnist', {}).plan)
    expect(cuts).toEqual([
      'model cnn-small on mnist (the write-up: resnet18 on CIFAR-10)',
      '6,000 training images per model, a stratified subset (the write-up: the whole training set)',
      '1 epoch of training (the write-up: 200)',
      'clean accuracy during training on 500 test images',
      'attacks on 100 test images per model',
      'the "quick" evaluation budget (the write-up: full AutoAttack, "thorough" here)'
    ])
  })
  it("names the user's own reductions against the preset", () => {
    const cuts = studyCuts(resolvePreset('seed-quick', 'mnist', { seeds: 1, trainImages: 3000, evalImages: 60 }).plan)
    expect(cuts).toContain('1 seed (the write-up: 3)')
    expect(cuts.at(-1)).toBe(
      'reduced further for this run: seeds 1 (preset: 3), trainImages 3,000 (preset: 6,000), evalImages 60 (preset: 100)'
    )
  })
  it('the reading states the cuts', () => {
    expect(readResult(fixture()).at(-1)).toContain(
      "This is a reduced-scale study (6 cuts, listed with the table): its numbers are not the write-up's."
    )
  })
  it('cannot conclude about a student near chance, and reads no defence against a baseline near chance', () => {
    const r = fixture()
    r.rows[1] = {
      ...r.rows[1],
      clean: s(0.17),
      notLearnt: 'The student did not learn: its clean accuracy 17.0% is within 15.0 points of chance (10.0%).'
    }
    const lines = readResult(r)
    expect(lines).toContain(
      'Defensive distillation: no conclusion can be drawn. The student did not learn: its clean accuracy 17.0% is within 15.0 points of chance (10.0%).'
    )
    expect(lines.some((l) => l.startsWith('Defensive distillation raised') || l.startsWith('Defensive distillation did not raise'))).toBe(
      false
    )
    r.rows[0] = { ...r.rows[0], notLearnt: 'The model did not learn.' }
    const none = readResult(r)
    expect(none).toContain('Without a baseline that learnt, no defence of this study can be judged; train longer or on more images.')
    expect(none.some((l) => l.includes('raised FGSM accuracy'))).toBe(false)
  })
})

describe('report formats', () => {
  const r = fixture()
  r.reading = readResult(r)
  it('the table has the seed shape: clean, FGSM at each ε, PGD, AutoAttack, masking', () => {
    expect(studyTable(r).header).toEqual([
      'model / strategy',
      'n',
      'clean',
      'FGSM (ε=0.1)',
      'FGSM (ε=0.2)',
      'FGSM (ε=0.3)',
      'PGD (ε=0.3)',
      'AutoAttack (ε=0.3)',
      'suspected gradient masking'
    ])
  })
  it('Markdown: mean ± std per cell, the verdict, the reading and the fired checks', () => {
    const md = formatStudyReport(r, 'md')
    expect(md).toContain(
      '| Defensive distillation | 3 | 94.0% ± 1.0% | 80.0% ± 2.0% | 60.0% ± 2.0% | 50.0% ± 2.0% | 3.0% ± 0.0% | 2.0% ± 1.0% | **yes** |'
    )
    expect(md).toContain('- check 7, BPDA/EOT beat plain gradients (strong; 3 of 3 seeds): BPDA/EOT beat plain gradients evidence')
    expect(md).toContain(r.reading[0])
    expect(md).toContain('- study wall time: 10 min 0 s')
    expect(md).toContain('Reduced scale (against the write-up):\n- model cnn-small on mnist (the write-up: resnet18 on CIFAR-10)')
  })
  it('CSV keeps numbers machine-readable, LaTeX escapes %, HTML is one self-contained page with an SVG curve', () => {
    const csv = formatStudyReport(r, 'csv').trim().split('\n')
    expect(csv[0]).toBe(
      'model / strategy,n,clean %,clean std %,FGSM (ε=0.1) %,FGSM (ε=0.1) std %,FGSM (ε=0.2) %,FGSM (ε=0.2) std %,FGSM (ε=0.3) %,FGSM (ε=0.3) std %,PGD (ε=0.3) %,PGD (ε=0.3) std %,AutoAttack (ε=0.3) %,AutoAttack (ε=0.3) std %,suspected gradient masking'
    )
    expect(csv[4]).toBe('Gradient-mask toy,3,95.0,1.0,95.0,2.0,95.0,2.0,95.0,2.0,2.0,0.0,1.0,1.0,yes')
    expect(formatStudyReport(r, 'latex')).toContain('Baseline & 3 & 95.0\\% $\\pm$ 1.0\\% &')
    const html = formatStudyReport(r, 'html')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|<link /)
  })
})
