/**
 * Both languages, complete and readable: at 1280×800 the home, datasets, studies, settings and
 * wizard screens show no raw message key, do not scroll sideways, and pass axe — in English and
 * 简体中文, light and dark. Chinese is drawn with the font the app ships (Noto Sans SC), loaded
 * from the app itself: no request leaves the service's origin.
 */
import { expect, test, type Page } from '@playwright/test'
import { seriousViolations } from './axe'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'

/** The page's globals these checks read (the e2e specs type-check without the DOM library). */
interface Box {
  scrollWidth: number
  clientWidth: number
}
interface PageGlobals {
  document: {
    getElementById(id: string): Box
    scrollingElement: Box
    fonts: { ready: Promise<unknown>; check(font: string, text: string): boolean } & Iterable<{ family: string; status: string }>
  }
  localStorage: { setItem(key: string, value: string): void }
}

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('languages'))
})
test.afterAll(async () => {
  await server?.stop()
})

const SCREENS = [
  '#/',
  '#/datasets',
  '#/studies',
  '#/settings',
  '#/new/baseline',
  '#/new/defence',
  '#/new/distill',
  '#/new/sweep',
  '#/new/eval'
]
/** A message key shown as text: three or more dotted words such as wizard.eval.budgets.thorough. */
const RAW_KEY = /\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z-]+\.[a-zA-Z-]+\b/

async function open(page: Page, hash: string) {
  await page.goto(`${server.url}${hash}`)
  await expect(page.locator('main h1').first()).toBeVisible({ timeout: 60_000 })
  // Let lazy panels (status, presets, datasets) arrive before measuring.
  await page.waitForLoadState('networkidle').catch(() => undefined)
  await page.waitForTimeout(300)
}

/** Sideways overflow of the page and of its main region, in CSS pixels (0 = none). */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    const main = document.getElementById('main-content')
    const doc = document.scrollingElement
    return Math.max(doc.scrollWidth - doc.clientWidth, main.scrollWidth - main.clientWidth)
  })

/** The fonts Chromium actually drew an element's text with (DevTools protocol); a web font's name ends "(web font)". */
async function fontsDrawing(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')
  const { root } = await cdp.send('DOM.getDocument')
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
  await cdp.detach()
  return fonts.map((f: { familyName: string; isCustomFont: boolean }) => `${f.familyName}${f.isCustomFont ? ' (web font)' : ''}`)
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`every screen in ${language}, ${colorScheme}: no raw key, no sideways scroll, axe passes`, async ({ browser }) => {
      test.setTimeout(240_000)
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })
      await context.addInitScript((lang) => (globalThis as unknown as PageGlobals).localStorage.setItem('advlab.language', lang), language)
      const page = await context.newPage()
      const problems: string[] = []
      for (const hash of SCREENS) {
        await open(page, hash)
        await expect(page.locator('html')).toHaveAttribute('lang', language)
        const text = await page.locator('body').innerText()
        const raw = text.match(RAW_KEY)
        if (raw) problems.push(`${hash}: raw key "${raw[0]}"`)
        const over = await sideways(page)
        if (over > 0) problems.push(`${hash}: scrolls sideways by ${over} px`)
        problems.push(...(await seriousViolations(page, `${hash} (${language}, ${colorScheme})`)))
        if (colorScheme === 'light' || hash === '#/') {
          const name = hash.replace(/[#/]+/g, '-').replace(/^-|-$/g, '') || 'home'
          await page.screenshot({ path: screenshotPath(`languages-${name}-${language}-${colorScheme}`) })
        }
      }
      expect(problems).toEqual([])
      await context.close()
    })
  }
}

test('简体中文 is drawn with the shipped Noto Sans SC, loaded from the app, not the network', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(() => (globalThis as unknown as PageGlobals).localStorage.setItem('advlab.language', 'zh-CN'))
  const page = await context.newPage()
  const origin = new URL(server.url).origin
  const elsewhere: string[] = []
  const fontFiles: string[] = []
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url)
    if (/noto-sans-sc.*\.woff2/.test(url)) fontFiles.push(url)
  })
  await open(page, '#/')
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready)
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.check('16px "Noto Sans SC"', '中文')))
    .toBe(true)
  const faces = await page.evaluate(() =>
    [...(globalThis as unknown as PageGlobals).document.fonts]
      .filter((f) => f.family.replace(/"/g, '') === 'Noto Sans SC')
      .map((f) => f.status)
  )
  expect(faces).toContain('loaded')
  // The heading's Chinese is drawn by the shipped web font (its internal name: "Noto Sans SC Thin"), not a system font.
  const drawing = await fontsDrawing(page, 'main h1')
  expect(drawing.filter((name) => name.startsWith('Noto Sans SC') && name.endsWith('(web font)'))).toHaveLength(1)
  expect(fontFiles.length).toBeGreaterThan(0)
  expect(fontFiles.every((url) => url.startsWith(origin))).toBe(true)
  expect(elsewhere).toEqual([])
  await context.close()
})
