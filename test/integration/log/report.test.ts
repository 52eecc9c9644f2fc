/**
 * The HTML report is one self-contained file with inline SVG charts; Chromium prints it to PDF.
 * The study report's table is the one results table's, on a real log.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { compareRuns } from '../../../src-main/lab/store/compare'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { CHROMIUM_CANDIDATES, printPdf, renderReport } from '../../../src-main/lab/store/export/report'
import { addRun, baseConfig, freshLog, seedStudy, type Lab } from '../../unit/log/fixtures'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { writeEvalRecord } from '../../../src-main/lab/store/evaluations'
import { resolvePreset } from '../../../src-main/lab/study/presets'
import { addStudyRun, createStudy } from '../../../src-main/lab/store/studies'
import { buildStudyReport } from '../../../src-main/lab/study/report'
import { formatStudyReport } from '../../../src-main/lab/study/report-formats'

let lab: Lab
afterEach(() => lab?.cleanup())
const chromium = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p))

describe('HTML report', () => {
  it('is a single file with the results table, verdict column and inline SVG charts, and loads nothing from outside', () => {
    lab = freshLog('report')
    const { ids } = seedStudy(lab.db)
    addRun(lab.db, { name: '<script>alert(1)</script>' })
    const html = renderReport(
      compareRuns(lab.db, { ids: [...ids, ids.length + 1] }),
      buildResultsTable(lab.db, { ids: [...ids, ids.length + 1] }),
      { title: 'Seed study' }
    )
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<h1>Seed study</h1>')
    expect(html).toContain('suspected gradient masking')
    expect(html).toContain('<td>Gradient-mask toy</td><td>3</td><td><span class="value">92.1% ± 0.2%</span></td>')
    expect(html).toMatch(/<td>Gradient-mask toy<\/td>.*?<span class="verdict-yes">yes<\/span>/)
    expect(html).toContain('<h2>Per-sample agreement under attack</h2>')
    // Two training-curve charts (test/accuracy, train/loss) and three ε-curves (fgsm, pgd, autoattack).
    expect(html.match(/<svg /g)).toHaveLength(5)
    expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(http/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it.skipIf(!chromium)('prints to PDF with the installed Chromium', () => {
    lab = freshLog('report')
    const { ids } = seedStudy(lab.db)
    const htmlPath = path.join(lab.dir, 'report.html')
    fs.writeFileSync(htmlPath, renderReport(compareRuns(lab.db, { ids }), buildResultsTable(lab.db, { ids })))
    const pdf = printPdf(htmlPath, path.join(lab.dir, 'report.pdf'))
    expect(pdf.note).toBeNull()
    expect(fs.readFileSync(pdf.path!).subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('says how to get a PDF when no browser is available', () => {
    lab = freshLog('report')
    const htmlPath = path.join(lab.dir, 'r.html')
    fs.writeFileSync(htmlPath, '<p>x</p>')
    const r = printPdf(htmlPath, path.join(lab.dir, 'r.pdf'), null)
    expect(r).toEqual({ path: null, note: expect.stringMatching(/No Chromium found.*print it to PDF from any browser/) })
    const none = printPdf(htmlPath, path.join(lab.dir, 'r2.pdf'), path.join(lab.dir, 'no-such-browser'))
    expect(none.path).toBeNull()
    expect(none.note).toMatch(/could not print/)
  })
})

describe('study report', () => {
  /** A seed-quick study whose model runs are filled through the store: 2 seeds per arm. */
  function studyWithResults(db: Lab['db']): { studyId: number; plan: ReturnType<typeof resolvePreset>['plan'] } {
    const plan = resolvePreset('seed-quick', 'mnist', { seeds: 2 }).plan
    const studyId = createStudy(db, { name: 'quick', preset: 'seed-quick', plan, status: 'completed' })
    const eps = plan.epsilon
    plan.arms.forEach((arm, a) => {
      for (const [s, seed] of plan.seeds.entries()) {
        // The first arm's second seed has no AutoAttack result: its cell is "(1 of 2 runs)".
        const evals: Array<[string, string, number, number]> = [
          ['clean', 'Linf', 0, 0.9 - a * 0.01],
          ['fgsm', 'Linf', eps, 0.2 + a * 0.1],
          ['pgd', 'Linf', eps, 0.1 + a * 0.01]
        ]
        if (!(a === 0 && s === 1)) evals.push(['autoattack', 'Linf', eps, 0.05 + a * 0.01])
        const id = addRun(db, { name: `${arm.label} seed ${seed}`, seed, config: baseConfig({ arm: arm.id }), evals })
        addStudyRun(db, studyId, id, arm.id, seed, 'model')
      }
    })
    return { studyId, plan }
  }

  it('reads its table from the one results table: n counts the seeds that have a cell, unfinished evaluations stay out', () => {
    lab = freshLog('study-report')
    const { studyId, plan } = studyWithResults(lab.db)
    const first = plan.arms[0]
    const firstModel = (
      lab.db.prepare('SELECT run_id FROM study_runs WHERE study_id = ? AND arm = ? ORDER BY run_id LIMIT 1').get(studyId, first.id) as {
        run_id: number
      }
    ).run_id
    // The user cancels a later evaluation of that model; its PGD result (99 %) is partial.
    const cancelled = createRun(lab.db, { name: 'cancelled eval', kind: 'eval', config: { runId: firstModel }, seed: 0 })
    setRunStatus(lab.db, cancelled, 'running', { backend: 'wasm' })
    writeEvalRecord(lab.db, cancelled, {
      type: 'result',
      runId: firstModel,
      attack: 'pgd',
      norm: 'Linf',
      epsilon: plan.epsilon,
      seed: 0,
      n: 100,
      accuracy: 0.99,
      cleanAccuracy: null,
      params: {},
      seconds: null
    })
    setRunStatus(lab.db, cancelled, 'cancelled')

    const report = buildStudyReport(lab.db, studyId)
    const row = report.rows[0]
    expect(row.pgd).toEqual({ mean: 0.1, std: 0, n: 2 })
    expect(row.autoattack).toMatchObject({ mean: 0.05, n: 1 })
    const md = formatStudyReport(report, 'md')
    expect(md).toContain(`| ${first.label} | 2 | 90.0% ± 0.0% |`)
    expect(md).toContain('5.0% (1 of 2 runs)')
    expect(md).not.toContain('99.0%')
  })
})
