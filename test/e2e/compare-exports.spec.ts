/**
 * The Compare screen and its exports show one table: a log holding repeats of one config, a
 * cancelled evaluation (partial results), an imported model and a gradient-masked toy is filled
 * through the store, the runs are selected in the Runs table, and the Compare table read from the
 * DOM is checked cell for cell against the CSV, Markdown and HTML exports the export panel writes.
 */
import fs from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'
import { seriousViolations } from './axe'
import { watchPageProblems } from './pageProblems'
import { openLog } from '../../src-main/lab/store/open'
import { createRun, setRunStatus } from '../../src-main/lab/store/runs'
import { writeEvalRecord } from '../../src-main/lab/store/evaluations'
import { addRun, baseConfig } from '../unit/log/fixtures'

let server: ServeProcess
let ids: number[] = []

/** A log as a user's would look after these experiments (results written as the jobs write them). */
function fillLog(dataDir: string): number[] {
  const { db } = openLog(dataDir)
  try {
    const baseline = [0, 1, 2].map((seed) =>
      addRun(db, {
        name: `baseline seed ${seed}`,
        seed,
        metrics: { 'test/accuracy': [0.6, 0.933 + seed * 0.001] },
        // Seed 2 was never attacked with PGD: its row says so ("2 of 3 runs").
        evals: [
          ['clean', 'Linf', 0, 0.95 + seed * 0.002],
          ['fgsm', 'Linf', 0.1, 0.61 + seed * 0.01],
          ...(seed < 2 ? [['pgd', 'Linf', 0.1, 0.3 + seed * 0.02] as [string, string, number, number]] : [])
        ],
        verdict: { verdict: 'no', fired: [] }
      })
    )
    const imported = addRun(db, {
      name: 'imported resnet',
      kind: 'import',
      config: { file: '/models/resnet.safetensors', dataset: 'mnist', arch: 'cnn-small' },
      evals: [
        ['clean', 'Linf', 0, 0.97],
        ['fgsm', 'Linf', 0.1, 0.4],
        ['fgsm', 'Linf', 0.3, 0.05]
      ],
      verdict: { verdict: 'no', fired: [] }
    })
    const toy = addRun(db, {
      name: 'gradient-mask toy',
      config: baseConfig({ defence: { kind: 'gradient-truncation', backwardScale: 0 } }),
      evals: [
        ['clean', 'Linf', 0, 0.92],
        ['fgsm', 'Linf', 0.1, 0.88],
        ['pgd', 'Linf', 0.1, 0.85]
      ],
      verdict: { verdict: 'yes', fired: [1, 4] }
    })
    // An evaluation of the imported model the user cancelled at ε = 5: partial, so out of the table.
    const cancelled = createRun(db, { name: 'eval of imported (cancelled)', kind: 'eval', config: { runId: imported }, seed: 0 })
    setRunStatus(db, cancelled, 'running', { backend: 'wasm' })
    writeEvalRecord(db, cancelled, {
      type: 'result',
      runId: imported,
      attack: 'pgd',
      norm: 'Linf',
      epsilon: 5,
      seed: 0,
      n: 100,
      accuracy: 0,
      cleanAccuracy: null,
      params: {},
      seconds: null
    })
    setRunStatus(db, cancelled, 'cancelled')
    return [...baseline, imported, toy]
  } finally {
    db.close()
  }
}

test.beforeAll(async () => {
  const dataDir = tempDataDir('compare-exports')
  ids = fillLog(dataDir)
  server = await startServe(dataDir)
})
test.afterAll(async () => {
  await server?.stop()
})

interface ScreenTable {
  header: string[]
  rows: Array<{ label: string; n: string; cells: Array<{ value: string; mark: string }>; verdict: string }>
}

async function readCompareTable(page: Page): Promise<ScreenTable> {
  const table = page.getByTestId('results-table')
  const header = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim())
  const rows: ScreenTable['rows'] = []
  for (const row of await table.getByTestId('compare-row').all()) {
    const cells = []
    for (const cell of await row.getByTestId('result-cell').all()) {
      const mark = cell.getByTestId('cell-mark')
      cells.push({
        value: (await cell.getByTestId('cell-value').innerText()).trim(),
        mark: (await mark.count()) ? (await mark.innerText()).trim() : ''
      })
    }
    rows.push({
      label: (await row.getByTestId('row-label').innerText()).trim(),
      n: (await row.getByTestId('row-n').innerText()).trim(),
      cells,
      verdict: (await row.getByTestId('row-verdict').getAttribute('data-verdict')) ?? ''
    })
  }
  return { header, rows }
}

/** The text export the panel wrote, read back from its file. */
async function exported(page: Page, kind: 'csv' | 'md' | 'report'): Promise<string> {
  await page.getByTestId(`export-${kind}`).click()
  await expect(page.getByTestId('export-written')).toBeVisible()
  const file = (await page.getByTestId('export-path').innerText()).trim()
  await expect.poll(() => fs.existsSync(file)).toBe(true)
  return fs.readFileSync(file, 'utf8')
}

const splitMd = (line: string): string[] =>
  line
    .replace(/^\| | \|$/g, '')
    .split(' | ')
    .map((c) => c.replace(/\\\|/g, '|'))
const unescapeHtml = (s: string): string =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
const joined = (c: { value: string; mark: string }): string => (c.mark ? `${c.value} ${c.mark}` : c.value)

async function checkAgainstExports(page: Page, screen: ScreenTable): Promise<void> {
  const columns = screen.header.slice(2, -1)

  const csv = (await exported(page, 'csv'))
    .trim()
    .split('\n')
    .map((l) => l.split(','))
  for (const [i, row] of screen.rows.entries()) {
    const line = csv[i + 1]
    expect(line[0]).toBe(row.label)
    expect(line[1]).toBe(row.n)
    row.cells.forEach((cell, c) => {
      const [mean, std, n, mark] = line.slice(2 + c * 4, 6 + c * 4)
      // The screen's "61.0% ± 1.0% (2 of 3 runs)" is the CSV's mean, std and n.
      if (cell.value === '—') expect([mean, std, n]).toEqual(['', '', ''])
      else {
        expect(cell.value.startsWith(`${mean}%`), `${row.label} / ${columns[c]}: ${cell.value} vs ${mean}`).toBe(true)
        expect(cell.value.includes(' ± ')).toBe(std !== '')
        if (std) expect(cell.value).toContain(`± ${std}%`)
        expect(cell.value.includes(`(${n} of `) || Number(n) === Number(row.n)).toBe(true)
      }
      expect(mark).toBe(cell.mark)
    })
    expect(line.at(-1)).toBe(row.verdict)
  }

  const md = (await exported(page, 'md')).trim().split('\n')
  expect(splitMd(md[0]).slice(2, -1)).toEqual(columns.map((c, i) => (i === 0 ? 'clean' : c)))
  for (const [i, row] of screen.rows.entries())
    expect(splitMd(md[i + 2])).toEqual([row.label, row.n, ...row.cells.map(joined), row.verdict])

  const html = await exported(page, 'report')
  const results = /<table id="results">.*?<\/table>/s.exec(html)![0]
  const htmlRows = [...results.matchAll(/<tr>(.*?)<\/tr>/gs)]
    .slice(1)
    .map((m) => [...m[1].matchAll(/<td>(.*?)<\/td>/gs)].map((c) => unescapeHtml(c[1]).trim()))
  expect(htmlRows).toEqual(screen.rows.map((row) => [row.label, row.n, ...row.cells.map(joined), row.verdict]))
}

test('the Compare table matches its CSV, Markdown and HTML exports cell for cell', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  const watch = await watchPageProblems(page)
  await page.goto(server.url)
  await page.getByTestId('nav-runs').click()
  // The Runs table's headline: the imported model's cancelled ε = 5 evaluation (0 %) never counts;
  // its robust accuracy is its completed FGSM at ε = 0.3, the cell Compare shows below.
  const importedRobust = page.locator(`[data-run-id="${ids[3]}"] [data-testid="run-robust"]`)
  await expect(importedRobust).toHaveText('5.0%')
  await expect(importedRobust).toHaveAttribute('title', 'FGSM (ε=0.3)')
  for (const id of ids) await page.getByTestId(`run-select-${id}`).check()
  await page.getByTestId('runs-compare').click()
  await expect(page.getByTestId('results-table')).toBeVisible()

  const screen = await readCompareTable(page)
  // The service's table is what the screen shows.
  const service = (await serviceCall(server, 'results.table', { ids })).result as { rows: Array<{ label: string }>; partial: unknown[] }
  expect(screen.rows.map((r) => r.label)).toEqual(service.rows.map((r) => r.label))
  expect(screen.rows.map((r) => r.label)).toEqual(['baseline', 'imported resnet', 'gradient-mask toy'])
  // Repeats: n = 3 with ± over them; PGD only on 2 of the 3 seeds.
  const baseline = screen.rows[0]
  expect(baseline.n).toBe('3')
  expect(baseline.cells[0].value).toBe('95.2% ± 0.2%')
  expect(screen.header).toContain('PGD (ε=0.1)')
  expect(baseline.cells[screen.header.indexOf('PGD (ε=0.1)') - 2].value).toBe('31.0% ± 1.4% (2 of 3 runs)')
  // The masked toy wins nothing and says why; the cancelled ε = 5 never made a column.
  expect(screen.rows[1].cells[screen.header.indexOf('FGSM (ε=0.3)') - 2].value).toBe('5.0%')
  const toy = screen.rows[2]
  expect(
    toy.cells
      .slice(1)
      .filter((c) => c.value !== '—')
      .every((c) => c.mark === 'masking')
  ).toBe(true)
  expect(screen.header.join(' ')).not.toContain('ε=5')
  expect(service.partial).toHaveLength(1)
  await expect(page.getByTestId('compare-partial-note')).toBeVisible()
  await page.screenshot({ path: screenshotPath('compare-exports'), fullPage: true })
  expect(await seriousViolations(page, 'compare with results')).toEqual([])
  await checkAgainstExports(page, screen)

  // Asked for, the partial result shows — marked, with its status — on screen and in every export alike.
  await page.getByTestId('compare-include-partial').check()
  await expect(page.getByTestId('results-table')).toContainText('partial (cancelled)')
  const withPartial = await readCompareTable(page)
  expect(withPartial.header).toContain('PGD (ε=5)')
  await checkAgainstExports(page, withPartial)

  // One ε chosen for FGSM: its other columns go, the other attacks keep theirs, the exports follow.
  await page.getByTestId('compare-eps-fgsm').selectOption('0.3')
  await expect(page.getByTestId('results-table').locator('thead th', { hasText: 'FGSM (ε=0.1)' })).toHaveCount(0)
  const chosen = await readCompareTable(page)
  expect(chosen.header.filter((h) => h.startsWith('FGSM') || h.startsWith('PGD'))).toEqual(['FGSM (ε=0.3)', 'PGD (ε=0.1)', 'PGD (ε=5)'])
  await checkAgainstExports(page, chosen)
  expect(await watch.problems()).toEqual([])
})
