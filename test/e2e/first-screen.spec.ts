/**
 * The first screen against the real serve mode (real lab service, real engine, temporary data
 * directory): backend status as the service reports it, projects that survive a restart, live
 * refresh, readable errors in place, and a connection that recovers.
 */
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'
import { watchPageProblems } from './pageProblems'

let servers: ServeProcess[] = []
test.afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  servers = []
})

async function serve(dataDir: string): Promise<ServeProcess> {
  const server = await startServe(dataDir)
  servers.push(server)
  return server
}

async function openHome(page: Page, server: ServeProcess) {
  await page.goto(server.url)
  await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
}

async function dismissNotices(page: Page) {
  for (const button of await page.getByTestId('notice').getByRole('button').all()) await button.click()
  await expect(page.getByTestId('notice')).toHaveCount(0)
}

test('shows the backend the service reports, and a created project survives a restart of the service', async ({ page }) => {
  // While the first service is gone, the browser logs its failed reconnect attempts; nothing else.
  const watch = await watchPageProblems(page, [/WebSocket connection to .* failed/])
  const dataDir = tempDataDir('restart')
  const first = await serve(dataDir)
  const status = await serviceCall(first, 'status.get', {})
  const reported = status.result as { backend: { name: string; device: string }; logPath: string; dataDir: string }

  await openHome(page, first)
  await expect(page.getByTestId('backend-name')).toHaveText(reported.backend.name)
  await expect(page.getByTestId('backend-device')).toHaveText(reported.backend.device)
  await expect(page.getByTestId('log-path')).toHaveText(reported.logPath)
  await expect(page.getByTestId('data-dir')).toHaveText(reported.dataDir)

  const name = 'MNIST distillation study'
  await page.getByLabel('New project name').fill(name)
  await page.getByRole('button', { name: 'Create project' }).click()
  await expect(page.getByTestId('project-list').getByTestId('project-name')).toHaveText([name])
  await expect(page.getByTestId('count-projects')).toHaveText('1')
  await dismissNotices(page)
  await page.screenshot({ path: screenshotPath('home'), fullPage: true })

  await first.stop()
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'reconnecting')
  await page.screenshot({ path: screenshotPath('home-reconnecting'), fullPage: true })

  const second = await serve(dataDir)
  await openHome(page, second)
  await expect(page.getByTestId('project-list').getByTestId('project-name')).toHaveText([name])
  await expect(page.getByTestId('count-projects')).toHaveText('1')
  expect(await watch.problems()).toEqual([])
})

test('a duplicate project name shows the service’s own message under the name field', async ({ page }) => {
  const server = await serve(tempDataDir('duplicate'))
  await openHome(page, server)

  const input = page.getByLabel('New project name')
  await input.fill('Baseline CNN')
  await input.press('Enter')
  await expect(page.getByTestId('project-name')).toHaveText(['Baseline CNN'])

  // What does the service itself say to this request? The UI must show exactly that.
  const answer = await serviceCall(server, 'projects.create', { name: 'Baseline CNN' })
  expect(answer.ok).toBe(false)
  expect(answer.error?.field).toBe('name')

  await input.fill('Baseline CNN')
  await page.getByRole('button', { name: 'Create project' }).click()
  const error = page.getByTestId('project-name-error')
  await expect(error).toHaveText(answer.error!.message)
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(/at .*\.(ts|js):\d+/)).toHaveCount(0) // no stack trace anywhere
  await page.screenshot({ path: screenshotPath('home-duplicate-name'), fullPage: true })

  // Typing clears the complaint; an empty name is caught before it is sent.
  await input.fill('   ')
  await expect(error).toHaveCount(0)
  await page.getByRole('button', { name: 'Create project' }).click()
  await expect(error).toHaveText('Enter a name; it must not be empty.')
})

test('renaming into a taken name shows the service’s message in place; Escape cancels, Enter saves', async ({ page }) => {
  const server = await serve(tempDataDir('rename'))
  await serviceCall(server, 'projects.create', { name: 'Alpha' })
  await serviceCall(server, 'projects.create', { name: 'Beta' })
  await openHome(page, server)
  await expect(page.getByTestId('project-name')).toHaveText(['Alpha', 'Beta'])

  const answer = await serviceCall(server, 'projects.rename', { id: 2, name: 'Alpha' })
  expect(answer.ok).toBe(false)

  await page.getByRole('button', { name: 'Rename: Beta' }).click()
  const input = page.getByLabel('New name for “Beta”')
  await expect(input).toBeFocused()
  await input.fill('Alpha')
  await input.press('Enter')
  await expect(page.getByTestId('project-rename-error')).toHaveText(answer.error!.message)
  await expect(input).toHaveAttribute('aria-invalid', 'true')

  await input.press('Escape')
  await expect(page.getByRole('button', { name: 'Rename: Beta' })).toBeFocused()

  await page.getByRole('button', { name: 'Rename: Beta' }).press('Enter')
  await page.getByLabel('New name for “Beta”').fill('Gamma')
  await page.getByLabel('New name for “Beta”').press('Enter')
  await expect(page.getByTestId('project-name')).toHaveText(['Alpha', 'Gamma'])
  const listed = await serviceCall(server, 'projects.list', {})
  expect((listed.result as { name: string }[]).map((p) => p.name)).toEqual(['Alpha', 'Gamma'])
})

test('a project created by another client appears without reloading (projects.changed)', async ({ page }) => {
  const server = await serve(tempDataDir('live'))
  await openHome(page, server)
  await expect(page.getByTestId('projects-empty')).toBeVisible()

  await serviceCall(server, 'projects.create', { name: 'Created from the CLI' })
  await expect(page.getByTestId('project-name')).toHaveText(['Created from the CLI'])
  await expect(page.getByTestId('count-projects')).toHaveText('1')
})

test('a dropped connection shows “reconnecting…”, fails nothing silently, and recovers by itself', async ({ page }) => {
  const server = await serve(tempDataDir('drop'))
  // Route the page's socket through the test so the test can cut it; behind it is the real service.
  const sockets: WebSocketRoute[] = []
  await page.routeWebSocket(/\/api/, (ws) => {
    ws.connectToServer()
    sockets.push(ws)
  })
  await openHome(page, server)
  await expect(page.getByTestId('connection-banner')).toHaveCount(0)

  await sockets.at(-1)!.close()
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'reconnecting')
  await expect(page.getByTestId('connection-banner')).toContainText('reconnecting')

  // While the window was away, someone else created a project: after the reconnect it is shown.
  await serviceCall(server, 'projects.create', { name: 'Made while disconnected' })
  await expect(page.getByTestId('connection-banner')).toHaveText(/Reconnected/, { timeout: 30_000 })
  await expect(page.getByTestId('project-name')).toHaveText(['Made while disconnected'])
  expect(sockets.length).toBeGreaterThanOrEqual(2)
})

test('a request cut off by a lost connection ends in a readable notice (not a spinner), and the window recovers', async ({ page }) => {
  const server = await serve(tempDataDir('notice'))
  let cutAtNextList = false
  await page.routeWebSocket(/\/api/, (ws) => {
    const service = ws.connectToServer()
    ws.onMessage((message) => {
      // Drop the connection exactly while a refresh of the list is under way.
      if (cutAtNextList && String(message).includes('"projects.list"')) {
        cutAtNextList = false
        void ws.close()
        return
      }
      service.send(message)
    })
  })
  await openHome(page, server)
  await dismissNotices(page)

  cutAtNextList = true
  await serviceCall(server, 'projects.create', { name: 'Triggers a refresh' })
  const notice = page.getByTestId('notice').filter({ hasText: /Could not (load the projects|read the lab status)/ })
  await expect(notice).toHaveCount(1)
  await expect(notice).toContainText('Service unavailable')
  await expect(notice).toContainText('connection to the AdvLab service was lost before it answered')
  await expect(notice).toHaveAttribute('role', 'alert')
  await page.screenshot({ path: screenshotPath('home-lost-request-notice'), fullPage: true })

  await expect(page.getByTestId('connection-banner')).toHaveText(/Reconnected/, { timeout: 30_000 })
  await expect(page.getByTestId('project-name')).toHaveText(['Triggers a refresh'])
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await expect(notice).toHaveCount(0)
})
