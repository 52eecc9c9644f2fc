/**
 * The Runs and Compare screens as a W&B / TensorBoard user expects them, at 1280×800: models
 * first with their measurements nested (not rows of their own with "defence none"), a study as a
 * group, a column chooser, saved views, no sideways scroll of the page or the card in English and
 * 简体中文 and both themes (axe passing), the table back at its start after a delete; Compare with
 * one common ε or ε per attack by display names, ε-curves not squeezed by an outlier, no paged
 * legend, parallel coordinates only over what varies, and PNG/SVG export of a chart.
 */
import fs from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { seriousViolations } from './axe'
import { watchPageProblems } from './pageProblems'
import { openLog } from '../../src-main/lab/store/open'
import { createRun, setRunStatus } from '../../src-main/lab/store/runs'
import { addStudyRun, createStudy } from '../../src-main/lab/store/studies'
import type { StudyPlan } from '../../src-main/api/studies'
import { addRun, baseConfig } from '../unit/log/fixtures'

let server: ServeProcess
const models: Record<string, number> = {}
const measurements: number[] = []

/** Attack, evaluation and sweep runs name the models they measured in targetRunIds, as the jobs do. */
function measure(db: Parameters<typeof createRun>[0], kind: 'attack' | 'eval' | 'sweep', targets: number[]): number {
  const id = createRun(db, { name: `${kind} of #${targets.join(', #')}`, kind, config: { targetRunIds: targets, seed: 0 }, seed: 0 })
  setRunStatus(db, id, 'running', { backend: 'wasm' })
  setRunStatus(db, id, 'completed')
  measurements.push(id)
  return id
}

function fillLog(dataDir: string): void {
  const { db } = openLog(dataDir)
  try {
    const curve: Array<[string, string, number, number]> = [
      ['clean', 'Linf', 0, 0.97],
      ['fgsm', 'Linf', 0.1, 0.62],
      ['fgsm', 'Linf', 0.3, 0.21],
      ['pgd-curve', 'Linf', 0.1, 0.5],
      ['pgd-curve', 'Linf', 0.2, 0.2],
      ['pgd-curve', 'Linf', 0.3, 0.04]
    ]
    for (const seed of [1, 2])
      models[`study seed ${seed}`] = addRun(db, {
        name: `baseline seed ${seed}`,
        seed,
        config: baseConfig({ optimizer: { kind: 'sgd', lr: 0.1 } }),
        metrics: { 'train/loss': [2.3, 1.2, 0.6, 0.4], 'test/accuracy': [0.9, 0.96] },
        evals: curve,
        verdict: { verdict: 'no', fired: [] }
      })
    const study = createStudy(db, { name: 'seed-quick (e2e)', preset: 'seed-quick', plan: {} as StudyPlan })
    addStudyRun(db, study, models['study seed 1'], 'baseline', 1, 'model')
    addStudyRun(db, study, models['study seed 2'], 'baseline', 2, 'model')
    models.lr = addRun(db, {
      name: 'baseline lr 0.05 with a long name to wrap',
      config: baseConfig({ optimizer: { kind: 'sgd', lr: 0.05 } }),
      metrics: { 'train/loss': [2.3, 1.5, 0.9, 0.7], 'test/accuracy': [0.85, 0.93] },
      evals: [...curve.map(([a, n, e, acc]) => [a, n, e, acc * 0.9] as [string, string, number, number]), ['fgsm', 'Linf', 5, 0]]
    })
    models.student = addRun(db, {
      name: 'distilled student T=20',
      kind: 'distill',
      config: { temperature: 20, alpha: 0.7, teacherRunId: models.lr, student: baseConfig({ optimizer: { kind: 'sgd', lr: 0.02 } }) },
      metrics: { 'train/loss': [1.9, 1.1, 0.8, 0.5], 'test/accuracy': [0.8, 0.9] },
      evals: [
        ['clean', 'Linf', 0, 0.9],
        ['fgsm', 'Linf', 0.1, 0.7],
        ['fgsm', 'Linf', 0.3, 0.4]
      ],
      verdict: { verdict: 'possible', fired: [5] }
    })
    measure(db, 'attack', [models['study seed 1']])
    measure(db, 'eval', [models['study seed 1']])
    measure(db, 'sweep', [models['study seed 1'], models.lr, models.student])
    for (let i = 0; i < 3; i++) measure(db, 'attack', [models.lr])
  } finally {
    db.close()
  }
}

test.beforeAll(async () => {
  const dataDir = tempDataDir('runs-compare')
  fillLog(dataDir)
  server = await startServe(dataDir)
})
test.afterAll(async () => {
  await server?.stop()
})

/** The page's DOM as these checks use it (this Node project has no DOM types, hence the casts). */
interface Box {
  scrollWidth: number
  clientWidth: number
}
type Window = { document: { scrollingElement: Box; querySelector(s: string): Box }; localStorage: { clear(): void } }
const clearStorage = () => (globalThis as unknown as Window).localStorage.clear()

/** Whether the page or the screen's first card is wider than the window / the card itself. */
async function sidewaysScroll(page: Page): Promise<{ page: number[]; card: number[] }> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as Window
    const doc = document.scrollingElement
    const card = document.querySelector('main .card')
    return { page: [doc.scrollWidth, doc.clientWidth], card: [card.scrollWidth, card.clientWidth] }
  })
}

async function openRuns(page: Page) {
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('run-row').first()).toBeVisible()
}

test('Runs: one row per model, its attacks, evaluations and sweeps nested under it, a study as a group', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  const watch = await watchPageProblems(page)
  await page.goto(server.url)
  await page.evaluate(clearStorage)
  await openRuns(page)
  // Four models; the six measurement runs are not rows of their own.
  await expect(page.getByTestId('run-row')).toHaveCount(4)
  for (const id of measurements) await expect(page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)).toHaveCount(0)
  await expect(page.getByTestId('measurement-row')).toHaveCount(0)
  // Grouped by study at first: the study's two seeds under its name, linked; the others after.
  await expect(page.getByTestId('run-group-title').first()).toHaveText('seed-quick (e2e)')
  await expect(page.getByTestId('run-group-study')).toHaveAttribute('href', /studies/)
  const seed1 = page.locator(`[data-testid="run-row"][data-run-id="${models['study seed 1']}"]`)
  await expect(seed1.getByTestId('run-expand')).toHaveText(/3 measurements/)
  await seed1.getByTestId('run-expand').click()
  await expect(seed1.getByTestId('run-expand')).toHaveAttribute('aria-expanded', 'true')
  await expect(page.getByTestId('measurement-row')).toHaveCount(3)
  await expect(page.getByTestId('measurement-link').first()).toHaveAttribute('href', /#\/runs\/\d+/)
  // The sweep of three models is nested under each of them.
  await page.getByTestId('runs-expand-all').click()
  await expect(page.getByTestId('measurement-row')).toHaveCount(3 + 4 + 1)
  // The distilled student is filed with its dataset, architecture and defence, not "none"/"not evaluated".
  const student = page.locator(`[data-testid="run-row"][data-run-id="${models.student}"]`)
  await expect(student).toContainText('mnist')
  await expect(student).toContainText('distillation')
  await expect(student.getByTestId('run-clean')).toHaveText('90.0%')
  await page.screenshot({ path: screenshotPath('runs-nested'), fullPage: true })
  expect(await watch.problems()).toEqual([])
})

test('Runs: a column chooser over config keys and metrics, group by any key, saved views, back to the start after a delete', async ({
  page
}) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(server.url)
  await page.evaluate(clearStorage)
  await openRuns(page)
  await page.getByTestId('runs-columns').locator('summary').click()
  await page.getByTestId('runs-columns-find').fill('lr')
  // The distillation's student.optimizer.lr is offered as optimizer.lr, one column for every run.
  await expect(page.getByTestId('column-config:student.optimizer.lr')).toHaveCount(0)
  await page.getByTestId('column-config:optimizer.lr').check()
  await page.getByTestId('runs-columns-find').fill('')
  await page.getByTestId('column-metric:train/loss').check()
  await page.getByTestId('column-config:batchSize').check()
  await page.getByTestId('column-config:dataset').check()
  await page.getByTestId('column-config:model.arch').check()
  await page.getByTestId('runs-columns').locator('summary').click()
  await expect(page.getByTestId('chosen-column')).toHaveCount(5)
  const student = page.locator(`[data-testid="run-row"][data-run-id="${models.student}"]`)
  await expect(student.getByTestId('chosen-cell').first()).toHaveText('0.02')
  await page.getByTestId('runs-group-by').selectOption('config:optimizer.lr')
  await expect(page.getByTestId('run-group-title')).toHaveText(['0.02', '0.05', '0.1'])
  await page.getByTestId('runs-view-name').fill('learning rates')
  await page.getByTestId('runs-view-save').click()
  await page.reload()
  await openRuns(page)
  // The table comes back as it was left; the saved view is listed.
  await expect(page.getByTestId('chosen-column')).toHaveCount(5)
  await expect(page.getByTestId('runs-view-select').locator('option', { hasText: 'learning rates' })).toHaveCount(1)
  await page.getByTestId('runs-group-by').selectOption('')
  await page.getByTestId('runs-view-select').selectOption('learning rates')
  await expect(page.getByTestId('runs-group-by')).toHaveValue('config:optimizer.lr')

  // The page itself never scrolls sideways; the table may, with the names kept in view.
  const widths = await sidewaysScroll(page)
  expect(widths.page[0]).toBeLessThanOrEqual(widths.page[1])
  const wrap = page.getByTestId('runs-table-wrap')
  await wrap.evaluate((el) => ((el as unknown as { scrollLeft: number }).scrollLeft = (el as unknown as Box).scrollWidth))
  const last = page.getByTestId('run-row').last()
  const name = await last.getByTestId('run-link').innerText()
  await last.getByTestId('run-delete').click()
  await expect(page.getByTestId('run-link').filter({ hasText: name })).toHaveCount(0)
  expect(await wrap.evaluate((el) => (el as unknown as { scrollLeft: number }).scrollLeft)).toBe(0)
  // Back from the trash for the other tests.
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('trash-entry')).toContainText(name)
  await page.getByTestId('trash-restore').click()
  await expect(page.getByTestId('trash-entry')).toHaveCount(0)
})

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'zh-CN'] as const) {
    test(`Runs and Compare fit 1280×800 without sideways scrolling and pass axe (${colorScheme}, ${language})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      await page.goto(server.url)
      await page.evaluate(clearStorage)
      await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
      await page.getByTestId('language-select').selectOption(language)
      await openRuns(page)
      await page.getByTestId('runs-expand-all').click()
      const found: string[] = []
      const runs = await sidewaysScroll(page)
      expect(runs.page[0], 'the Runs page scrolls sideways').toBeLessThanOrEqual(runs.page[1])
      expect(runs.card[0], 'the Runs card scrolls sideways').toBeLessThanOrEqual(runs.card[1])
      // Every key column, the actions last, is inside the table's visible box.
      const box = (await page.getByTestId('runs-table-wrap').boundingBox())!
      for (const button of await page.getByTestId('run-row').getByTestId('run-delete').all()) {
        const b = (await button.boundingBox())!
        expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width)
      }
      found.push(...(await seriousViolations(page, `runs (${colorScheme}, ${language})`)))
      await page.screenshot({ path: screenshotPath(`runs-${language}-${colorScheme}`), fullPage: true })

      const ids = Object.values(models).join(',')
      await page.goto(`${server.url}#/compare?ids=${ids}`)
      await expect(page.getByTestId('results-table')).toBeVisible()
      await expect(page.getByTestId('compare-parallel')).toBeVisible()
      const compare = await sidewaysScroll(page)
      expect(compare.page[0], 'the Compare page scrolls sideways').toBeLessThanOrEqual(compare.page[1])
      expect(compare.card[0], 'the Compare card scrolls sideways').toBeLessThanOrEqual(compare.card[1])
      found.push(...(await seriousViolations(page, `compare (${colorScheme}, ${language})`)))
      await page.screenshot({ path: screenshotPath(`compare-${language}-${colorScheme}`), fullPage: true })
      expect(found).toEqual([])
      await context.close()
    })
  }
}

test('Compare: a common ε or ε per attack by display name, curves from the results table, parallel coordinates over what varies, chart export', async ({
  page
}) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  const watch = await watchPageProblems(page)
  await page.goto(`${server.url}#/compare?ids=${Object.values(models).join(',')}`)
  await expect(page.getByTestId('results-table')).toBeVisible()
  // Attacks by their display names; the raw id "pgd-curve" appears nowhere on the screen.
  await expect(page.locator('label[for="cmp-eps-pgd-curve"]')).toHaveText(/PGD ε-curve/)
  expect(await page.locator('main').innerText()).not.toContain('pgd-curve')

  const header = () => page.getByTestId('results-table').locator('thead th')
  await page.getByTestId('compare-eps-fgsm').selectOption('0.3')
  await expect(header()).toContainText(['FGSM (ε=0.3)'])
  await expect(header().filter({ hasText: 'FGSM (ε=0.1)' })).toHaveCount(0)
  await page.getByTestId('compare-common-eps').selectOption('0.1')
  await expect(page.getByTestId('compare-eps-fgsm')).toHaveCount(0)
  const titles = (await header().allInnerTexts()).map((h) => h.replace(/\s+/g, ' ').trim())
  expect(titles.filter((h) => h.includes('ε='))).toEqual(['FGSM (ε=0.1)', 'PGD ε-curve (ε=0.1)'])

  // ε-curves: one per row × attack, picked in a list (no paged legend); the ε = 5 outlier is one tick.
  const toggles = page.getByTestId('eps-curve-toggle')
  expect(await toggles.count()).toBeGreaterThanOrEqual(5)
  await toggles.first().uncheck()
  await expect(toggles.first()).not.toBeChecked()

  // Parallel coordinates: the learning rate (aligned across the training runs and the student) and the seed vary; batch size does not.
  await expect(page.getByTestId('compare-parallel-card')).toContainText(/2 settings differ/)
  await page.getByTestId('compare-colour-by').selectOption({ label: 'clean accuracy' })
  await expect(page.getByTestId('compare-scatter-x')).toHaveValue('optimizer.lr')

  // Training curves: smoothing, log scale, x by epoch.
  await page.getByTestId('compare-metric').selectOption('train/loss')
  await page.getByTestId('compare-smoothing').evaluate((el) => {
    const input = el as unknown as { value: string; dispatchEvent(e: unknown): void }
    input.value = '0.6'
    input.dispatchEvent(new Event('input'))
  })
  await expect(page.locator('label[for="cmp-smooth"]')).toHaveText(/0\.60/)
  await page.getByTestId('compare-log').check()
  await page.getByTestId('compare-x').selectOption('epoch')
  await expect(page.getByTestId('compare-accuracy-chart')).toBeVisible()
  await page.getByTestId('compare-x').selectOption('time')
  await expect(page.getByTestId('compare-accuracy-chart')).toBeVisible()

  for (const kind of ['svg', 'png'] as const) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('compare-parallel-card').getByTestId(`chart-${kind}`).first().click()
    ])
    const file = await download.path()
    const bytes = fs.readFileSync(file)
    if (kind === 'svg') expect(bytes.toString('utf8')).toMatch(/^<svg[\s\S]*optimizer\.[\s\S]*<\/svg>$/)
    else expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
  }
  await page.screenshot({ path: screenshotPath('compare-charts'), fullPage: true })
  expect(await watch.problems()).toEqual([])
})
