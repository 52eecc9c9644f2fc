/**
 * "Reproduce the seed study", end to end in the browser against the real engine: the Home button,
 * a reduced seed-quick (1 seed, 3000 MNIST training images, 60 evaluation images), the study runs
 * to completion, and the in-app report shows the seed's result — the table's orderings and the
 * verdicts (baseline no, toy yes, distillation possible or yes), with a reading that names masking,
 * the ε-curves, and the masking checks that fired with their evidence.
 */
import { expect, test, type Locator } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { seriousViolations } from './axe'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('seed-study'))
})
test.afterAll(async () => {
  await server?.stop()
})

/** A table cell's "94.3%" (or "94.3% ± 2.1") as 0.943. */
async function accuracy(cell: Locator): Promise<number> {
  const text = await cell.innerText()
  const match = /(-?\d+(?:\.\d+)?)%/.exec(text)
  if (!match) throw new Error(`not an accuracy: "${text}"`)
  return Number(match[1]) / 100
}

test('the seed-study button runs a reduced seed-quick to completion and its report shows the seed result', async ({ page }) => {
  test.setTimeout(900_000)
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(server.url)
  await page.getByTestId('start-seed-study').click()
  await expect(page.getByTestId('study-preset-seed-quick')).toBeChecked()
  await page.getByTestId('study-seeds').fill('1')
  await page.getByTestId('study-trainImages').fill('3000')
  await page.getByTestId('study-testImages').fill('200')
  await page.getByTestId('study-evalImages').fill('60')
  await page.getByTestId('study-review').click()
  await expect(page.getByTestId('study-estimate')).toContainText('Estimated duration', { timeout: 90_000 })
  await page.getByTestId('study-start').click()
  const status = page.locator('[data-testid^="study-status-"]').first()
  await expect(status).toHaveAttribute('data-status', 'running')
  await expect(status).toHaveAttribute('data-status', 'completed', { timeout: 840_000 })

  const report = page.getByTestId('study-report')
  const row = (arm: string) => report.locator(`[data-testid="study-row"][data-arm="${arm}"]`)
  await expect(report.getByTestId('study-row')).toHaveCount(4)
  // Completed rows carry their numbers (a row still waiting for its runs shows dashes).
  for (const arm of ['baseline', 'distillation', 'distillation-pgd', 'toy'])
    await expect(row(arm).locator('[data-column="autoattack"]')).toContainText('%')
  const cell = (arm: string, column: string) => accuracy(row(arm).locator(`[data-column="${column}"]`))
  const fgsm = (arm: string) => cell(arm, 'fgsm-0.3')
  const aa = (arm: string) => cell(arm, 'autoattack')

  // Baseline: FGSM far below clean; no masking.
  expect(await fgsm('baseline')).toBeLessThan((await cell('baseline', 'clean')) - 0.3)
  await expect(row('baseline').locator('[data-verdict]')).toHaveAttribute('data-verdict', 'no')
  // Distillation: FGSM above the baseline's, AutoAttack far below its own FGSM; masking suspected.
  expect(await fgsm('distillation')).toBeGreaterThan(await fgsm('baseline'))
  expect(await aa('distillation')).toBeLessThan((await fgsm('distillation')) - 0.2)
  await expect(row('distillation').locator('[data-verdict]')).toHaveAttribute('data-verdict', /^(possible|yes)$/)
  // The toy: the highest FGSM accuracy, AutoAttack near the baseline's; masking.
  for (const arm of ['baseline', 'distillation', 'distillation-pgd']) expect(await fgsm('toy')).toBeGreaterThan(await fgsm(arm))
  expect(Math.abs((await aa('toy')) - (await aa('baseline')))).toBeLessThanOrEqual(0.1)
  await expect(row('toy').locator('[data-verdict]')).toHaveAttribute('data-verdict', 'yes')
  await expect(report.getByTestId('study-reading').filter({ hasText: /^Gradient-mask toy raised/ })).toContainText('the gain is masking')
  // The evidence behind the table: an ε-curve per attack, and the checks that fired, with why.
  await expect(report.getByTestId('study-curve')).toHaveCount(2)
  await expect(report.getByTestId('study-curve').first()).toContainText('FGSM')
  await expect(report.locator('[data-testid="study-fired"][data-arm="baseline"]')).toHaveCount(0)
  const toyChecks = report.locator('[data-testid="study-fired"][data-arm="toy"] li')
  expect(await toyChecks.count()).toBeGreaterThanOrEqual(2)
  await expect(toyChecks.first()).toContainText(/Check \d, .+ in 1 of 1 seeds: /)
  expect(await seriousViolations(page, 'studies: report')).toEqual([])
  await page.screenshot({ path: screenshotPath('study-report'), fullPage: true })
  // In Chinese the checks keep their evidence and show their names translated.
  await page.getByTestId('language-select').selectOption('zh-CN')
  await expect(report.locator('[data-testid="study-fired"][data-arm="toy"]')).toContainText('输入梯度为零')
})
