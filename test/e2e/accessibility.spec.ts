/**
 * An axe-core pass over every screen, in both themes and both languages: no serious or critical
 * violations (contrast, labels, names, landmarks).
 */
import { expect, test } from '@playwright/test'
import { seriousViolations } from './axe'
import { startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('axe'))
  await serviceCall(server, 'projects.create', { name: 'Accessibility check' })
})
test.afterAll(async () => {
  await server?.stop()
})

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'zh-CN'] as const) {
    test(`every screen passes axe with no serious violations (${colorScheme}, ${language})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme })
      const page = await context.newPage()
      await page.goto(server.url)
      await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
      await page.getByTestId('language-select').selectOption(language)
      const found: string[] = []
      for (const screen of ['home', 'datasets', 'runs', 'compare', 'settings']) {
        await page.getByTestId(`nav-${screen}`).click()
        await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page')
        if (screen === 'home') await expect(page.getByTestId('project-name').first()).toBeVisible()
        found.push(...(await seriousViolations(page, screen)))
      }
      // A form error and the notice stack must pass too.
      await page.getByTestId('nav-home').click()
      await page.getByTestId('project-name-input').fill('Accessibility check')
      await page.getByTestId('project-create').click()
      await expect(page.getByTestId('project-name-error')).toBeVisible()
      found.push(...(await seriousViolations(page, 'home with error')))
      expect(found).toEqual([])
      await context.close()
    })
  }
}
