/** Serve mode refuses every request that does not carry the per-start token. */
import { expect, test } from '@playwright/test'
import { startServe, tempDataDir, type ServeProcess } from './serve'
import { socketUrl, upgradeStatus } from './serviceCall'
import { watchPageProblems } from './pageProblems'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('token'))
})
test.afterAll(async () => {
  await server?.stop()
})

test('the page without the token is refused with HTTP 401', async ({ browser }) => {
  const context = await browser.newContext() // no cookie from an earlier visit
  const page = await context.newPage()
  const response = await page.goto(server.origin + '/')
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('needs the token')
  const wrong = await page.goto(server.origin + '/?token=not-the-token')
  expect(wrong?.status()).toBe(401)
  await context.close()
})

test('the WebSocket upgrade without the token is refused; with it, accepted', async () => {
  expect(await upgradeStatus(socketUrl(server, false))).toBe(401)
  expect(await upgradeStatus(socketUrl(server, false) + '?token=wrong')).toBe(401)
  expect(await upgradeStatus(socketUrl(server, true))).toBe(101)
})

test('a page opened with the token gets the app, its socket connects, and nothing breaks the CSP', async ({ page }) => {
  const watch = await watchPageProblems(page)
  const response = await page.goto(server.url)
  expect(response?.status()).toBe(200)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
  // Visit every screen and use a form, so lazily loaded code and the schema check run too.
  for (const screen of ['datasets', 'runs', 'compare', 'settings', 'home']) await page.getByTestId(`nav-${screen}`).click()
  await page.getByLabel('New project name').fill('   ')
  await page.getByRole('button', { name: 'Create project' }).click()
  await expect(page.getByTestId('project-name-error')).toBeVisible()
  expect(await watch.problems()).toEqual([])
})
