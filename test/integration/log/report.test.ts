/** The HTML report is one self-contained file with inline SVG charts; Chromium prints it to PDF. */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { compareRuns } from '../../../src-main/lab/store/compare'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { CHROMIUM_CANDIDATES, printPdf, renderReport } from '../../../src-main/lab/store/export/report'
import { addRun, freshLog, seedStudy, type Lab } from '../../unit/log/fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())
const chromium = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p))

describe('HTML report', () => {
  it('is a single file with the results table, verdict column and inline SVG charts, and loads nothing from outside', () => {
    lab = freshLog('report')
    const { ids } = seedStudy(lab.db)
    addRun(lab.db, { name: '<script>alert(1)</script>' })
    const html = renderReport(compareRuns(lab.db, { ids: [...ids, ids.length + 1] }), buildResultsTable(lab.db, { ids: [...ids, ids.length + 1] }), { title: 'Seed study' })
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
