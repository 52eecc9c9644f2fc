/**
 * An axe-core pass over every screen, in both themes and both languages: no serious or critical
 * violations (contrast, labels, names, landmarks).
 */
import { expect, test, type Page } from '@playwright/test'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('axe'))
  await serviceCall(server, 'projects.create', { name: 'Accessibility check' })
})
test.afterAll(async () => {
  await server?.stop()
})

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[] }[]
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(axeSource)
  const { violations, passed } = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe
    const result = await axe.run()
    return { violations: result.violations, passed: result.passes.length }
  })
  expect(passed, 'axe ran its rules on the page').toBeGreaterThan(10)
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
}

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
        for (const v of await seriousViolations(page)) found.push(`${screen}: ${v}`)
      }
      // A form error and the notice stack must pass too.
      await page.getByTestId('nav-home').click()
      await page.getByTestId('project-name-input').fill('Accessibility check')
      await page.getByTestId('project-create').click()
      await expect(page.getByTestId('project-name-error')).toBeVisible()
      for (const v of await seriousViolations(page)) found.push(`home with error: ${v}`)
      expect(found).toEqual([])
      await context.close()
    })
  }
}
