/**
 * An axe-core pass over the lab screens the first-screen suite does not reach — every wizard and
 * each wizard step with its forms — in both themes and both languages: no serious violations.
 */
import { expect, test } from '@playwright/test'
import { seriousViolations } from './axe'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('lab-axe'))
})
test.afterAll(async () => {
  await server?.stop()
})

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'zh-CN'] as const) {
    test(`every wizard step passes axe (${colorScheme}, ${language})`, async ({ browser }) => {
      test.setTimeout(180_000)
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      await page.goto(server.url)
      await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
      await page.getByTestId('language-select').selectOption(language)
      const found: string[] = []
      for (const kind of ['baseline', 'defence', 'distill', 'sweep', 'eval']) {
        await page.getByTestId('nav-home').click()
        await page.getByTestId(`start-${kind}`).click()
        await expect(page.getByTestId('wizard')).toBeVisible()
        // Walk the steps up to (not including) the review, checking each one.
        for (let step = 0; step < 6; step++) {
          found.push(...(await seriousViolations(page, `${kind} step ${step + 1}`)))
          const next = page.getByTestId('wizard-next')
          if ((await next.count()) === 0) break
          if (kind === 'sweep' && step === 0) break // no trained model in this log: the step explains that
          await next.click()
          if ((await page.getByTestId('wizard-review').count()) > 0) break
        }
        if (colorScheme === 'dark' && language === 'en')
          await page.screenshot({ path: screenshotPath(`wizard-${kind}-dark`), fullPage: true })
      }
      expect(found).toEqual([])
      await context.close()
    })
  }
}

test('the seed study: preset, plan with a measured estimate, start, live progress, cancel, report; a run trashed and restored; settings save the engine choice', async ({
  page
}) => {
  test.setTimeout(240_000)
  const found: string[] = []
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(server.url)
  await page.getByTestId('start-seed-study').click()
  await expect(page.getByTestId('study-preset-seed-quick')).toBeChecked()
  await page.getByTestId('study-seeds').fill('1')
  await page.getByTestId('study-trainImages').fill('500')
  await page.getByTestId('study-epochs').fill('1')
  await page.getByTestId('study-evalImages').fill('50')
  await page.getByTestId('study-review').click()
  await expect(page.getByTestId('study-plan')).toContainText('Defensive distillation', { timeout: 90_000 })
  await expect(page.getByTestId('study-estimate')).toContainText('Estimated duration')
  found.push(...(await seriousViolations(page, 'studies: plan')))
  await page.screenshot({ path: screenshotPath('study-plan'), fullPage: true })
  await page.getByTestId('study-start').click()
  await expect(page.getByTestId('study-report')).toBeVisible()
  await expect(page.getByTestId('study-list')).toContainText('running')
  await expect(page.getByTestId('study-list').locator('progress')).toBeVisible({ timeout: 60_000 })
  found.push(...(await seriousViolations(page, 'studies: running')))
  await page.screenshot({ path: screenshotPath('study-running'), fullPage: true })
  await page.locator('[data-testid^="study-cancel-"]').click()
  await expect(page.getByTestId('study-list')).toContainText('cancelled', { timeout: 60_000 })

  // A run moved to the trash from the Runs table, then restored from Settings.
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('run-row').first()).toBeVisible()
  const before = await page.getByTestId('run-row').count()
  const trashed = await page.getByTestId('run-row').first().getByTestId('run-link').innerText()
  await page.getByTestId('run-row').first().getByTestId('run-delete').click()
  await expect(page.getByTestId('run-row')).toHaveCount(before - 1)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('trash-entry')).toContainText(trashed)
  await page.getByTestId('trash-restore').click()
  await expect(page.getByTestId('trash-entry')).toHaveCount(0)
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('run-row')).toHaveCount(before)
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-workers').fill('2')
  await page.getByTestId('settings-engine-save').click()
  await expect(page.getByTestId('settings-engine-message')).toContainText('2 worker')
  found.push(...(await seriousViolations(page, 'settings')))
  await page.screenshot({ path: screenshotPath('settings'), fullPage: true })
  expect(found).toEqual([])
})
