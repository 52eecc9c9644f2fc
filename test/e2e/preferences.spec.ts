/**
 * Language and theme: switchable, remembered across reloads, first start follows the system
 * colour scheme. Also saves a screenshot of every screen in both themes and both languages.
 */
import { expect, test, type Page } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'
import { watchPageProblems } from './pageProblems'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('prefs'))
  await serviceCall(server, 'projects.create', { name: 'Seed study reproduction' })
  await serviceCall(server, 'projects.create', { name: 'CIFAR-10 PGD sweep' })
})
test.afterAll(async () => {
  await server?.stop()
})

async function open(page: Page) {
  await page.goto(server.url)
  await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
}

const screens = ['home', 'datasets', 'runs', 'compare', 'settings'] as const

async function screenshotEveryScreen(page: Page, suffix: string) {
  for (const screen of screens) {
    await page.getByTestId(`nav-${screen}`).click()
    await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page')
    if (screen === 'home') await expect(page.getByTestId('project-name').first()).toBeVisible()
    if (screen === 'settings') await expect(page.locator('code.path').first()).toBeVisible()
    await page.screenshot({ path: screenshotPath(`${screen}${suffix}`), fullPage: true })
  }
}

test('switching to 简体中文 and back; the choice survives a reload', async ({ page }) => {
  const watch = await watchPageProblems(page)
  await open(page)
  await expect(page.getByTestId('nav-home')).toHaveText('Home')

  await page.getByTestId('language-select').selectOption('zh-CN')
  await expect(page.getByTestId('nav-home')).toHaveText('首页')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByRole('heading', { name: '实验室状态' })).toBeVisible()
  await expect(page).toHaveTitle('首页 · AdvLab')

  await page.reload()
  await expect(page.getByTestId('nav-home')).toHaveText('首页')
  await expect(page.getByTestId('language-select')).toHaveValue('zh-CN')
  await expect(page.getByTestId('backend-name')).toBeVisible()
  await screenshotEveryScreen(page, '-zh-CN')

  await page.getByTestId('language-select').selectOption('en')
  await expect(page.getByTestId('nav-home')).toHaveText('Home')
  await page.reload()
  await expect(page.getByTestId('nav-home')).toHaveText('Home')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  expect(await watch.problems()).toEqual([])
})

test('the theme toggles, is remembered, and the first start follows the system setting', async ({ browser }) => {
  const dark = await browser.newContext({ colorScheme: 'dark' })
  const page = await dark.newPage()
  await open(page)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await screenshotEveryScreen(page, '-dark')

  await page.getByTestId('theme-toggle').click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.reload()
  // The remembered choice now wins over the system's dark preference.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await dark.close()

  const light = await browser.newContext({ colorScheme: 'light' })
  const lightPage = await light.newPage()
  await open(lightPage)
  await expect(lightPage.locator('html')).toHaveAttribute('data-theme', 'light')
  await screenshotEveryScreen(lightPage, '-light')
  await light.close()
})

test('on an empty log the lab screens say so honestly, with no made-up data', async ({ page }) => {
  await open(page)
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('runs-empty')).toBeVisible()
  await page.getByTestId('nav-compare').click()
  await expect(page.getByTestId('compare-empty')).toBeVisible()
  await expect(page.locator('table, canvas')).toHaveCount(0)
  await page.getByTestId('nav-home').click()
  await expect(page.getByTestId('home-empty')).toBeVisible()
  await expect(page.getByTestId('start-seed-study')).toHaveAttribute('href', /#\/studies$/)
})

test('everything on Home is reachable by keyboard, with a visible focus ring', async ({ page }) => {
  await open(page)
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Skip to content' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('#main-content')).toBeFocused()

  // Tab on through the page's links and buttons until the form field is reached.
  const field = page.getByLabel('New project name')
  for (let presses = 0; presses < 40 && !(await field.evaluate((el) => el === el.ownerDocument.activeElement)); presses++) {
    await page.keyboard.press('Tab')
  }
  await expect(field).toBeFocused()
  const outline = await page.getByLabel('New project name').evaluate((el) => {
    const style = el.ownerDocument.defaultView!.getComputedStyle(el)
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) }
  })
  expect(outline.style).not.toBe('none')
  expect(outline.width).toBeGreaterThanOrEqual(2)
  await page.keyboard.type('Typed by keyboard')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('project-name')).toContainText(['Typed by keyboard'])

  // The navigation is reachable too.
  await page.getByTestId('nav-settings').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings')
})
