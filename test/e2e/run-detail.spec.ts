/**
 * Issue 16, the run detail screen as a W&B / TensorBoard user tried it: the gallery was one tall
 * image beside a table it did not line up with, IBP sat among the attacks with a "drop", the
 * events log printed `Completed: {…}` as JSON, cancel showed no "cancelling" state and resume said
 * nothing of where it resumed. Now: one row per test image with its own three images, certified
 * bounds in their own section, readable events, "Cancelling…" at once and "Resumes at step N of M";
 * at 1280×800 nothing scrolls sideways and axe passes, in both themes and both languages.
 */
import { expect, test, type Page } from '@playwright/test'
import { seriousViolations } from './axe'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'

/** The few browser globals the page-side functions use (this project type-checks without the DOM library). */
interface Box {
  scrollWidth: number
  clientWidth: number
  tagName: string
  closest(selector: string): { getAttribute(name: string): string | null } | null
}
interface PageGlobals {
  document: {
    documentElement: Box
    body: unknown
    querySelectorAll(selector: string): Iterable<Box>
    querySelector(selector: string): { textContent: string | null } | null
  }
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void }
  cancellingShown?: string
}

let server: ServeProcess
let model: number

async function call<T>(method: string, params: unknown): Promise<T> {
  const response = await serviceCall(server, method, params)
  if (!response.ok) throw new Error(`${method}: ${response.error?.message}`)
  return response.result as T
}

async function ended(id: number): Promise<string> {
  for (;;) {
    const { status } = await call<{ status: string }>('runs.get', { id })
    if (!['queued', 'running'].includes(status)) return status
    await new Promise((r) => setTimeout(r, 500))
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000)
  server = await startServe(tempDataDir('run-detail'))
  model = (
    await call<{ id: number }>('train.start', {
      dataset: 'mnist',
      subset: { train: 1024, test: 128 },
      model: { arch: 'mlp', width: 0.5 },
      epochs: 2,
      batchSize: 32,
      seed: 2
    })
  ).id
  expect(await ended(model)).toBe('completed')
  // An attack stores a gallery; the quick full evaluation adds another, IBP bounds and a verdict.
  expect(
    await ended((await call<{ id: number }>('attack.start', { runId: model, attack: 'fgsm', epsilon: 0.3, n: 16, workers: 1 })).id)
  ).toBe('completed')
  expect(await ended((await call<{ id: number }>('eval.start', { runId: model, budget: 'quick', n: 30 })).id)).toBe('completed')
})
test.afterAll(async () => {
  await server?.stop()
})

async function open(page: Page, language: 'en' | 'zh-CN', runId: number) {
  await page.goto(server.url)
  await expect(page.getByTestId('backend-name')).toBeVisible({ timeout: 60_000 })
  await page.getByTestId('language-select').selectOption(language)
  await page.goto(`${server.url}#/runs/${runId}`)
  await expect(page.getByTestId('detail-name')).toBeVisible()
}

/** Elements wider than their box: the page itself and every scrolling table. */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    return [document.documentElement, ...document.querySelectorAll('.table-wrap')]
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => `${e.closest('[data-testid]')?.getAttribute('data-testid') ?? e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`)
  })

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'zh-CN'] as const) {
    test(`a model's detail: gallery rows with their own images, certified bounds apart, readable events; no sideways scroll, axe passes (${colorScheme}, ${language})`, async ({
      browser
    }) => {
      test.setTimeout(120_000)
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      await open(page, language, model)

      const galleries = page.getByTestId('gallery')
      await expect(galleries).toHaveCount(2)
      const served = await call<{ attack: string; samples: { sampleIndex: number }[] }[]>('evaluations.gallery', { id: model })
      for (const [i, g] of served.entries()) {
        const gallery = galleries.nth(i)
        // Captioned with its attack and ε; the perturbation column states its amplification.
        await expect(gallery.locator('figcaption')).toContainText(g.attack)
        await expect(gallery.locator('figcaption')).toContainText('ε = 0.3')
        await expect(gallery.locator('thead')).toContainText(/×\d/)
        const rows = gallery.getByTestId('gallery-row')
        await expect(rows).toHaveCount(g.samples.length)
        // Each row holds its own sample's three images (named by its index), loaded.
        for (const [r, s] of g.samples.entries()) {
          const images = rows.nth(r).locator('img')
          await expect(images).toHaveCount(3)
          await expect(rows.nth(r).locator('th')).toHaveText(`#${s.sampleIndex}`)
          for (let k = 0; k < 3; k++) {
            await expect(images.nth(k)).toHaveAttribute('alt', new RegExp(`#${s.sampleIndex}\\b`))
            expect(
              await images
                .nth(k)
                .evaluate(
                  (img) =>
                    (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
                    (img as unknown as { naturalWidth: number }).naturalWidth
                )
            ).toBe(28)
          }
        }
      }
      // IBP is a certified bound: its own section, no row (and no drop) among the attacks.
      await expect(page.getByTestId('certified-row').first()).toBeVisible()
      await expect(page.getByTestId('detail-certified')).toContainText('IBP')
      await expect(page.locator('[data-testid="eval-row"][data-attack="ibp"]')).toHaveCount(0)
      // No "the service does not send yet" panel anywhere.
      await expect(page.getByText(/does not send yet|尚未提供/)).toHaveCount(0)

      // The events log: each line once, the completed summary in words, no JSON.
      const lines = await page.getByTestId('event-line').allInnerTexts()
      expect(lines.length).toBeGreaterThan(2)
      expect(new Set(lines).size).toBe(lines.length)
      expect(lines.join('\n')).not.toContain('{"')
      expect(lines.join('\n')).toContain(language === 'en' ? 'Completed: test accuracy' : '已完成：测试准确率')

      expect(await overflowing(page)).toEqual([])
      expect(await seriousViolations(page, `run detail (${colorScheme}, ${language})`)).toEqual([])
      await page.screenshot({ path: screenshotPath(`run-detail-${language}-${colorScheme}`), fullPage: true })
      await context.close()
    })
  }
}

/** 4,096 images in batches of 8 over 50 epochs: long enough to be cancelled mid-way. */
const TOTAL = 512 * 50

test('cancel shows "Cancelling…" at once; the run stops at a checkpoint and resume says the step it resumes at', async ({ page }) => {
  test.setTimeout(180_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  const run = (
    await call<{ id: number }>('train.start', {
      dataset: 'mnist',
      subset: { train: 4096, test: 64 },
      model: { arch: 'mlp', width: 0.25 },
      epochs: 50,
      batchSize: 8,
      seed: 4
    })
  ).id
  await open(page, 'en', run)
  await expect(page.getByTestId('run-progress')).toContainText(new RegExp(`^train: \\d+ of ${TOTAL}`), { timeout: 60_000 })

  // An mlp stops within milliseconds, so the state may show only briefly: record that it did.
  await page.evaluate(() => {
    const seen = globalThis as unknown as PageGlobals
    const { document, MutationObserver } = seen
    new MutationObserver(() => {
      const badge = document.querySelector('[data-testid="detail-cancelling"]')
      if (badge) seen.cancellingShown = badge.textContent ?? ''
    }).observe(document.body, { childList: true, subtree: true })
  })
  await page.getByTestId('detail-cancel').click()
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).cancellingShown), { timeout: 1_000 })
    .toContain('Cancelling…')
  const note = page.getByTestId('detail-resume-note')
  await expect(note).toHaveText(new RegExp(`^Cancelled at step \\d+ of ${TOTAL}; resume continues from that step\\.$`), { timeout: 30_000 })
  await expect(page.getByTestId('detail-cancelling')).toHaveCount(0)
  const step = (await note.innerText()).match(/step (\d+)/)![1]
  await expect(page.getByTestId('event-line').last()).toContainText(
    `Cancelled by the user at step ${step} of ${TOTAL}; a checkpoint was saved there.`
  )

  await page.getByTestId('detail-resume').click()
  await expect(note).toHaveText(`Resumes at step ${step} of ${TOTAL}.`)
  await expect(page.getByTestId('detail-events')).toContainText(`Resumed from the checkpoint at step ${step} of ${TOTAL}.`, {
    timeout: 30_000
  })
  await expect(page.getByTestId('run-progress')).toBeVisible()
  await page.screenshot({ path: screenshotPath('run-detail-resumed') })
  // Every series the charts draw has each step once.
  const series = await call<{ name: string; steps: number[] }[]>('runs.metrics', { id: run })
  for (const s of series) expect(new Set(s.steps).size, s.name).toBe(s.steps.length)
  await page.getByTestId('detail-cancel').click()
  expect(await ended(run)).toBe('cancelled')
})
