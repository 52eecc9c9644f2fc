/**
 * The acceptance flow as a new user would walk it, against the real serve mode and engine on a
 * temporary data directory: MNIST → baseline wizard (1,000 images, 1 epoch) → watch it finish →
 * repeat it with a new seed → attack-sweep wizard (FGSM, PGD at 3 ε) → open the run → compare the
 * two runs → export the Markdown table and the HTML report. Frame lengths are measured with the
 * Performance API while training streams metrics (reported, not asserted). Then the first screens
 * of the same flow in 简体中文. Every screen gets an axe-core pass and a screenshot.
 */
import { expect, test, type Page } from '@playwright/test'
import fs from 'node:fs'
import { seriousViolations } from './axe'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'
import { watchPageProblems } from './pageProblems'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('flow'))
})
test.afterAll(async () => {
  await server?.stop()
})

interface RunInfo {
  id: number
  status: string
  error: string | null
}
async function runInfo(id: number): Promise<RunInfo> {
  return (await serviceCall(server, 'runs.get', { id })).result as RunInfo
}
async function untilFinished(id: number, timeoutMs: number): Promise<RunInfo> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const info = await runInfo(id)
    if (!['queued', 'running'].includes(info.status)) return info
    if (Date.now() > deadline) throw new Error(`run ${id} still ${info.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Starts recording every animation frame's length and every long task, in the page. */
async function startFrameMeter(page: Page) {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      __frames: number[]
      __longTasks: number[]
      __measuring: boolean
      requestAnimationFrame(cb: (t: number) => void): void
      performance: { now(): number }
    }
    g.__frames = []
    g.__longTasks = []
    g.__measuring = true
    let last = g.performance.now()
    const tick = (now: number) => {
      g.__frames.push(now - last)
      last = now
      if (g.__measuring) g.requestAnimationFrame(tick)
    }
    g.requestAnimationFrame(tick)
    const Observer = (
      globalThis as unknown as {
        PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: object): void }
      }
    ).PerformanceObserver
    new Observer((list) => list.getEntries().forEach((e) => g.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false })
  })
}
async function stopFrameMeter(page: Page) {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __frames: number[]; __longTasks: number[]; __measuring: boolean }
    g.__measuring = false
    const frames = g.__frames.slice(1)
    const sorted = [...frames].sort((a, b) => a - b)
    return {
      frames: frames.length,
      longestFrameMs: Math.round(sorted[sorted.length - 1] ?? 0),
      p99FrameMs: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      framesOver100Ms: frames.filter((f) => f > 100).length,
      longTasks: g.__longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...g.__longTasks))
    }
  })
}

test('a new user trains a baseline, attacks it, compares two runs and exports the table and the report', async ({ page }) => {
  test.setTimeout(420_000)
  const watch = await watchPageProblems(page)
  const axe: string[] = []
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(server.url)

  // Home, empty: the loop is explained and the first step is one click away.
  await expect(page.getByTestId('home-empty')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('start-seed-study')).toHaveAttribute('href', /#\/studies$/)
  axe.push(...(await seriousViolations(page, 'home (empty)')))
  await page.screenshot({ path: screenshotPath('flow-home-empty'), fullPage: true })

  // MNIST is there before anything else happens.
  await page.getByTestId('nav-datasets').click()
  await expect(page.locator('[data-testid="dataset-card"][data-name="MNIST"]').getByTestId('dataset-preview')).toBeVisible({
    timeout: 60_000
  })
  axe.push(...(await seriousViolations(page, 'datasets')))

  // Baseline wizard.
  await page.getByTestId('nav-home').click()
  await page.getByTestId('home-first-run').click()
  await expect(page.getByTestId('wizard')).toBeVisible()
  await page.getByTestId('wizard-dataset-MNIST').check()
  await page.getByTestId('wizard-subset-train').fill('1000')
  await page.getByTestId('wizard-subset-test').fill('200')
  axe.push(...(await seriousViolations(page, 'wizard: dataset')))
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('wizard-arch-cnn-small').check()
  await page.getByTestId('wizard-next').click()
  // Inline validation from the contract's schema: a zero learning rate is refused under its field.
  await page.getByTestId('wizard-lr').fill('0')
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('wizard-lr')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#err-lr')).toBeVisible()
  axe.push(...(await seriousViolations(page, 'wizard: invalid field')))
  await page.screenshot({ path: screenshotPath('flow-wizard-invalid'), fullPage: true })
  await page.getByTestId('wizard-lr').fill('0.05')
  await page.getByTestId('wizard-epochs').fill('1')
  await page.getByTestId('wizard-batch').fill('64')
  await page.getByTestId('wizard-next').click()
  await page.getByTestId('wizard-repeats').fill('1')
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('wizard-steps')).toContainText('16 steps')
  await expect(page.getByTestId('wizard-estimate')).not.toContainText('Measuring', { timeout: 60_000 })
  const estimate = await page.getByTestId('wizard-estimate').innerText()
  test.info().annotations.push({ type: 'estimate', description: estimate })
  axe.push(...(await seriousViolations(page, 'wizard: review')))
  await page.screenshot({ path: screenshotPath('flow-wizard-review'), fullPage: true })

  // Launch, land on the run, watch it stream and finish; measure frames meanwhile.
  await page.getByTestId('wizard-launch').click()
  await expect(page).toHaveURL(/#\/runs\/\d+$/)
  const firstId = Number(page.url().match(/runs\/(\d+)$/)![1])
  // Two phases: until the charts first appear (the chart code loads and draws), then while the
  // run streams metric points into them until it completes.
  await startFrameMeter(page)
  await expect(page.getByTestId('chart-loss')).toBeVisible({ timeout: 120_000 })
  const firstDraw = await stopFrameMeter(page)
  await startFrameMeter(page)
  await page.screenshot({ path: screenshotPath('flow-run-training'), fullPage: true })
  const first = await untilFinished(firstId, 240_000)
  expect(first.status, first.error ?? '').toBe('completed')
  const streaming = await stopFrameMeter(page)
  for (const [phase, frames] of [
    ['until the charts first appear', firstDraw],
    ['while training streamed metrics', streaming]
  ] as const) {
    test.info().annotations.push({ type: `frames ${phase}`, description: JSON.stringify(frames) })
    console.log(`frame lengths ${phase}:`, JSON.stringify(frames))
  }
  await expect(page.getByTestId('run-status').first()).toHaveAttribute('data-status', 'completed')
  await expect(page.getByTestId('detail-events')).toContainText('Completed')
  axe.push(...(await seriousViolations(page, 'run detail')))
  await page.screenshot({ path: screenshotPath('flow-run-detail'), fullPage: true })

  // Repeat with a new seed: the second run to compare with.
  await page.getByRole('button', { name: 'Repeat' }).click()
  await expect(page.getByTestId('notice')).toContainText('seed 1')
  const runs = (await serviceCall(server, 'runs.list', {})).result as { id: number; kind: string; seed: number }[]
  const second = runs.find((r) => r.kind === 'train' && r.id !== firstId)!
  expect(second.seed).toBe(1)

  // Attack-sweep wizard from the trained model: FGSM and PGD at the MNIST ε grid.
  await page.getByTestId('detail-attack').click()
  await expect(page.getByTestId(`wizard-model-${firstId}`)).toBeChecked()
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('wizard-attack-fgsm')).toBeChecked()
  await expect(page.getByTestId('wizard-attack-pgd')).toBeChecked()
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('wizard-epsilons')).toHaveValue('0.1, 0.2, 0.3')
  await page.getByTestId('wizard-samples').fill('100')
  axe.push(...(await seriousViolations(page, 'sweep wizard')))
  await page.getByTestId('wizard-next').click()
  await expect(page.getByTestId('wizard-review')).toContainText('6 accuracy measurements')
  await page.screenshot({ path: screenshotPath('flow-sweep-review'), fullPage: true })
  await page.getByTestId('wizard-launch').click()
  await expect(page).toHaveURL(/#\/runs\/\d+$/)
  const sweepId = Number(page.url().match(/runs\/(\d+)$/)![1])
  const sweep = await untilFinished(sweepId, 240_000)
  await expect(page.getByTestId('run-status').first()).toHaveAttribute('data-status', sweep.status)
  if (sweep.status === 'failed') {
    // What failed is shown in the service's words.
    await expect(page.getByText(sweep.error!, { exact: true })).toBeVisible()
    test.info().annotations.push({ type: 'sweep failed in the service', description: sweep.error ?? '' })
  }
  await page.screenshot({ path: screenshotPath('flow-sweep-run'), fullPage: true })

  // Open the attacked model: its results per attack × ε and the ε-curve.
  await page.getByTestId('detail-target').first().click()
  await expect(page.getByTestId('detail-name')).toBeVisible()
  if (sweep.status === 'completed') {
    await expect(page.locator('[data-testid="eval-row"]:not([data-attack="clean"])')).toHaveCount(6)
    await expect(page.getByTestId('chart-epsilon')).toBeVisible()
    await expect(page.getByTestId('confusion-matrix').locator('canvas').first()).toBeVisible()
    // Which images the attack flipped, from the per-sample outcomes.
    await page.locator('[data-testid="eval-row"][data-attack="pgd"]').last().getByRole('button', { name: /^Show/ }).click()
    await expect(page.getByTestId('sample-outcomes')).toContainText('of 100 test images')
    // A single attack keeps a gallery: original | amplified perturbation | adversarial.
    const attack = (await serviceCall(server, 'attack.start', { runId: firstId, attack: 'fgsm', epsilon: 0.3, n: 40, workers: 1 }))
      .result as { id: number }
    expect((await untilFinished(attack.id, 120_000)).status).toBe('completed')
    await page.reload()
    const gallery = page.getByTestId('detail-gallery')
    // One row per test image, each with its own original, perturbation and adversarial image.
    await expect(gallery.locator('img').first()).toBeVisible()
    expect(
      await gallery
        .locator('img')
        .first()
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)
    ).toBeGreaterThan(0)
    await expect(gallery.locator('tbody tr').first()).toBeVisible()
    axe.push(...(await seriousViolations(page, 'attacked model')))
    await page.screenshot({ path: screenshotPath('flow-attacked-model'), fullPage: true })
  }
  await untilFinished(second.id, 240_000)

  // Runs table → select both trainings → Compare.
  await page.getByTestId('nav-runs').click()
  // Models first: the two trainings; the sweep and the single attack are nested under what they measured.
  await expect(page.getByTestId('run-row')).toHaveCount(2)
  await page.getByTestId('runs-expand-all').click()
  await expect(page.getByTestId('measurement-row').first()).toBeVisible()
  await expect(page.locator(`[data-run-id="${second.id}"] [data-testid="run-status"]`)).toHaveAttribute('data-status', 'completed')
  await page.getByTestId(`run-select-${firstId}`).check()
  await page.getByTestId(`run-select-${second.id}`).check()
  axe.push(...(await seriousViolations(page, 'runs')))
  await page.screenshot({ path: screenshotPath('flow-runs'), fullPage: true })
  await page.getByTestId('runs-compare').click()
  await expect(page.getByTestId('compare-table')).toBeVisible()
  await expect(page.getByTestId('compare-row').first()).toBeVisible()
  await expect(page.getByTestId('compare-diff')).toContainText('seed')
  await expect(page.getByTestId('compare-accuracy-chart')).toBeVisible()
  axe.push(...(await seriousViolations(page, 'compare')))

  // Exports: the Markdown table (the service's own text) and the HTML report (a file on disk).
  await page.getByTestId('export-md').click()
  const table = (await serviceCall(server, 'export.table', { ids: [firstId, second.id], format: 'md' })).result as { text: string }
  await expect(page.getByTestId('export-text')).toHaveText(table.text.trim())
  const mdPath = await page.getByTestId('export-path').innerText()
  expect(fs.readFileSync(mdPath, 'utf8')).toBe(table.text)
  await page.getByTestId('export-report').click()
  await expect(page.getByTestId('export-written')).toContainText('HTML report')
  const reportPath = await page.getByTestId('export-path').innerText()
  expect(reportPath).toMatch(/\.html$/)
  expect(fs.readFileSync(reportPath, 'utf8').slice(0, 200).toLowerCase()).toContain('<!doctype html')
  await page.screenshot({ path: screenshotPath('flow-compare'), fullPage: true })

  // Home now shows recent runs instead of the empty state.
  await page.getByTestId('nav-home').click()
  await expect(page.getByTestId('home-recent')).toContainText('cnn-small')
  await expect(page.getByTestId('home-empty')).toHaveCount(0)
  axe.push(...(await seriousViolations(page, 'home')))
  await page.screenshot({ path: screenshotPath('flow-home'), fullPage: true })

  expect(axe).toEqual([])
  expect(await watch.problems()).toEqual([])
})

test('the first screens of the flow in 简体中文', async ({ browser }) => {
  const dataDir = tempDataDir('flow-zh')
  const zhServer = await startServe(dataDir)
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  try {
    await page.goto(zhServer.url)
    await expect(page.getByTestId('home-empty')).toBeVisible({ timeout: 60_000 })
    await expect(page.getByRole('heading', { name: '实验室的工作流程' })).toBeVisible()
    await page.screenshot({ path: screenshotPath('flow-zh-home'), fullPage: true })
    await page.getByTestId('nav-datasets').click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('数据集')
    await expect(page.locator('[data-testid="dataset-card"][data-name="MNIST"]')).toContainText('10 个类别')
    await page.getByTestId('nav-home').click()
    await page.getByTestId('home-first-run').click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('基线')
    await page.getByTestId('wizard-next').click()
    await expect(page.getByRole('heading', { name: '架构' })).toBeVisible()
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('wizard-lr').fill('')
    await page.getByTestId('wizard-next').click()
    await expect(page.getByTestId('wizard-lr')).toHaveAttribute('aria-invalid', 'true')
    const found = await seriousViolations(page, 'zh wizard')
    await page.screenshot({ path: screenshotPath('flow-zh-wizard'), fullPage: true })
    await page.getByRole('link', { name: '防御性蒸馏' }).click()
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('wizard-temperature').fill('3')
    await expect(page.getByTestId('temperature-advice')).toContainText('低于 5')
    await page.getByTestId('wizard-temperature').fill('20')
    await expect(page.getByTestId('temperature-advice')).toContainText('15–25')
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('wizard-next').click()
    await expect(page.getByTestId('wizard-estimate')).toContainText('在 wasm 上约', { timeout: 90_000 })
    found.push(...(await seriousViolations(page, 'zh distill review')))
    await page.screenshot({ path: screenshotPath('flow-zh-distill'), fullPage: true })
    expect(found).toEqual([])
  } finally {
    await context.close()
    await zhServer.stop()
  }
})
