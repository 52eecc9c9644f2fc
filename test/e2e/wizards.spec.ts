/**
 * The wizards as the researcher met them: an unknown wizard address is the not-found page;
 * the evaluation wizard labels its one-model choice in the singular, filters its models, suggests
 * the chosen model's default ε (MNIST: 0.3, not 8/255), shows its placeholders whole, words a
 * refused field in the user's language, and after Launch puts focus on the new run's heading;
 * a study has its own address.
 */
import { expect, test, type Page } from '@playwright/test'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'

/** The page's globals these checks read (the e2e specs type-check without the DOM library). */
interface Input {
  placeholder: string
  clientWidth: number
}
interface PageGlobals {
  localStorage: { setItem(key: string, value: string): void }
  getComputedStyle(element: Input): { font: string; paddingLeft: string; paddingRight: string }
  document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } } }
}

let server: ServeProcess
let modelId: number

test.beforeAll(async () => {
  test.setTimeout(240_000)
  server = await startServe(tempDataDir('wizards'))
  // One tiny trained model (an MLP on 200 MNIST images): the evaluation wizard needs a model to pick.
  const started = await serviceCall(server, 'train.start', {
    name: 'tiny mlp for the wizards',
    dataset: 'mnist',
    subset: { train: 200, test: 100 },
    model: { arch: 'mlp' },
    optimizer: { kind: 'sgd', lr: 0.05 },
    epochs: 1,
    batchSize: 50
  })
  expect(started.error).toBeUndefined()
  modelId = (started.result as { id: number }).id
  await expect
    .poll(async () => ((await serviceCall(server, 'runs.get', { id: modelId })).result as { status: string }).status, {
      timeout: 180_000,
      intervals: [1000]
    })
    .toBe('completed')
})
test.afterAll(async () => {
  await server?.stop()
})

async function openIn(page: Page, language: 'en' | 'zh-CN', hash: string) {
  await page
    .context()
    .addInitScript((lang) => (globalThis as unknown as PageGlobals).localStorage.setItem('advlab.language', lang), language)
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(`${server.url}${hash}`)
  await expect(page.locator('main h1').first()).toBeVisible({ timeout: 60_000 })
}

/** Whether an input's placeholder fits inside it (measured with the input's own font). */
const placeholderFits = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((element) => {
    const { getComputedStyle, document } = globalThis as unknown as PageGlobals
    const input = element as unknown as Input
    const style = getComputedStyle(input)
    const context = document.createElement('canvas').getContext('2d')
    context.font = style.font
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    return { text: input.placeholder, width: Math.ceil(context.measureText(input.placeholder).width), room }
  })

test('an unknown wizard (#/new/distillation) is the not-found page; a known one is its wizard', async ({ page }) => {
  await openIn(page, 'en', '#/new/distillation')
  await expect(page.locator('main h1')).toHaveText('Page not found')
  await expect(page.getByTestId('wizard')).toHaveCount(0)
  await page.goto(`${server.url}#/new/distill`)
  await expect(page.locator('main h1')).toHaveText('Defensive distillation')
  await expect(page.getByTestId('wizard')).toBeVisible()
})

for (const language of ['en', 'zh-CN'] as const) {
  test(`the evaluation wizard (${language}): "Model" in the singular, a filter, the model's own default ε, whole placeholders, worded errors`, async ({
    page
  }) => {
    const words =
      language === 'en'
        ? {
            model: 'Model',
            unknownEps: 'default: from the model’s data',
            eps: 'default: 0.3',
            whole: 'Enter a whole number (no decimal point).',
            thorough: 'Thorough'
          }
        : { model: '模型', unknownEps: '默认：取决于模型的数据', eps: '默认：0.3', whole: '请输入整数（不带小数点）。', thorough: '彻底' }
    await openIn(page, language, '#/new/eval')
    const wizard = page.getByTestId('wizard')
    await expect(wizard.locator('legend').first()).toHaveText(words.model)
    await expect(wizard).toContainText(words.thorough)
    await expect(wizard).not.toContainText('wizard.eval.')
    await expect(page.getByTestId('eval-epsilon')).toHaveAttribute('placeholder', words.unknownEps)

    // The filter narrows the list; the model comes back when the filter is cleared.
    const model = page.getByTestId(`wizard-model-${modelId}`)
    await expect(model).toBeVisible()
    await page.getByTestId('model-filter').fill('no such model')
    await expect(model).toHaveCount(0)
    await page.getByTestId('model-filter').fill(`#${modelId}`)
    await expect(model).toBeVisible()
    await model.check()

    // MNIST's default ε is 0.3 (it said "default: 8/255" for every dataset).
    await expect(page.getByTestId('eval-epsilon')).toHaveAttribute('placeholder', words.eps)
    for (const field of ['eval-epsilon', 'eval-n']) {
      const fit = await placeholderFits(page, field)
      expect(fit.width, `placeholder "${fit.text}" fits in ${fit.room} px`).toBeLessThanOrEqual(fit.room)
    }

    await page.screenshot({ path: screenshotPath(`wizards-eval-${language}`) })
    // A fractional sample count is refused in words, not as "Invalid input: expected int, received number".
    await page.getByTestId('eval-n').fill('1.5')
    await page.getByTestId('wizard-launch').click()
    await expect(page.locator('#err-e-n')).toHaveText(words.whole)
    await expect(page).toHaveURL(/#\/new\/eval/)
    await page.screenshot({ path: screenshotPath(`wizards-eval-refused-${language}`) })
  })
}

test('after Launch, focus is on the new run’s heading', async ({ page }) => {
  await openIn(page, 'en', '#/new/eval')
  await page.getByTestId(`wizard-model-${modelId}`).check()
  await page.getByTestId('eval-n').fill('10')
  await page.getByTestId('wizard-launch').click()
  await expect(page).toHaveURL(/#\/runs\/\d+$/, { timeout: 30_000 })
  const runId = Number(page.url().match(/#\/runs\/(\d+)$/)![1])
  await expect(page.getByTestId('detail-name')).toBeVisible()
  await expect(page.getByTestId('detail-name')).toBeFocused()
  // The evaluation itself is not this test's subject: stop it so it does not hold the cores.
  await serviceCall(server, 'runs.cancel', { id: runId })
})

test('a study has its own address: #/studies/<id> opens its report, an unknown id says so', async ({ page }) => {
  const saved = await serviceCall(server, 'studies.save-from-runs', { name: 'Linked study', runIds: [modelId] })
  expect(saved.error).toBeUndefined()
  const studyId = (saved.result as { id: number }).id
  await openIn(page, 'en', `#/studies/${studyId}`)
  await expect(page.getByTestId('study-report').locator('h2')).toHaveText('Report of Linked study')
  await expect(page.getByTestId(`study-open-${studyId}`)).toHaveAttribute('aria-current', 'page')
  await expect(page.getByTestId('study-row')).toHaveCount(1)
  await page.screenshot({ path: screenshotPath('wizards-study-linked'), fullPage: true })
  // Opening it from the list is a link to the same address.
  await page.goto(`${server.url}#/studies`)
  await expect(page.getByTestId('study-report')).toHaveCount(0)
  await page.getByTestId(`study-open-${studyId}`).click()
  await expect(page).toHaveURL(new RegExp(`#/studies/${studyId}$`))
  await expect(page.getByTestId('study-report')).toBeVisible()

  await page.goto(`${server.url}#/studies/999`)
  await expect(page.getByTestId('study-report')).toContainText('There is no study 999 in this log.')
})
