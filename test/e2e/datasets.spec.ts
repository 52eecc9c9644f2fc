/**
 * The Datasets screen against the real serve mode: the built-in MNIST with its preview grid, a
 * folder added by path (format detected, then registered, then removed), and a broken folder whose
 * problem is shown in place in the service's own words.
 */
import { expect, test } from '@playwright/test'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { screenshotPath, startServe, tempDataDir, type ServeProcess } from './serve'
import { serviceCall } from './serviceCall'
import { watchPageProblems } from './pageProblems'

let server: ServeProcess
test.beforeAll(async () => {
  server = await startServe(tempDataDir('datasets'))
})
test.afterAll(async () => {
  await server?.stop()
})

function idxHeader(magic: number, dims: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length)
  header.writeUInt32BE(magic, 0)
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i))
  return header
}

/** A tiny IDX dataset: `count` 8×8 images whose pixels encode their index, labels 0..classes-1. */
function writeIdxFolder(count: number, classes: number, truncate = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-e2e-idx-'))
  const pixels = Buffer.alloc(count * 64, 0)
  for (let i = 0; i < count; i++) pixels.fill((i * 37) % 256, i * 64 + 8 * (i % 8), i * 64 + 8 * (i % 8) + 8)
  const images = Buffer.concat([idxHeader(0x803, [count, 8, 8]), truncate ? pixels.subarray(0, 100) : pixels])
  const labels = Buffer.concat([idxHeader(0x801, [count]), Buffer.from(Array.from({ length: count }, (_, i) => i % classes))])
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), images)
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), labels)
  return dir
}

test('MNIST is listed with its statistics and a preview grid image that has loaded', async ({ page }) => {
  const watch = await watchPageProblems(page)
  await page.goto(server.url)
  await page.getByTestId('nav-datasets').click()
  const card = page.locator('[data-testid="dataset-card"][data-name="MNIST"]')
  await expect(card).toBeVisible({ timeout: 60_000 })
  await expect(card.getByTestId('dataset-shape')).toHaveText('28×28×1')
  await expect(card.getByTestId('dataset-splits')).toContainText('60,000')
  await expect(card.getByTestId('dataset-splits')).toContainText('10,000')

  const image = card.getByTestId('dataset-preview')
  await expect(image).toBeVisible()
  await expect
    .poll(() =>
      image.evaluate(
        (img) =>
          (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
          (img as unknown as { naturalWidth: number }).naturalWidth
      )
    )
    .toBeGreaterThan(0)
  const natural = await image.evaluate((img) => ({
    w: (img as unknown as { naturalWidth: number }).naturalWidth,
    h: (img as unknown as { naturalHeight: number }).naturalHeight
  }))
  const preview = (await serviceCall(server, 'datasets.preview', { dataset: 'MNIST' })).result as { width: number; height: number }
  expect(natural).toEqual({ w: preview.width, h: preview.height })
  await page.screenshot({ path: screenshotPath('datasets'), fullPage: true })
  expect(await watch.problems()).toEqual([])
})

test('a folder is detected, registered with live progress, shown, and removed again', async ({ page }) => {
  const folder = writeIdxFolder(40, 4)
  await page.goto(server.url)
  await page.getByTestId('nav-datasets').click()
  await page.getByLabel('Folder path').fill(folder)
  await page.getByRole('button', { name: 'Detect format' }).click()
  await expect(page.getByTestId('dataset-detection')).toContainText('IDX')
  await page.getByLabel('Name in the lab (optional)').fill('Tiny digits')
  await page.getByRole('button', { name: 'Register' }).click()
  const card = page.locator('[data-testid="dataset-card"][data-name="Tiny digits"]')
  await expect(card).toBeVisible()
  await expect(card.getByTestId('dataset-shape')).toHaveText('8×8×1')
  const registered = (await serviceCall(server, 'datasets.get', { dataset: 'Tiny digits' })).result as {
    classes: string[]
    splits: { train: number }
  }
  expect(registered.splits.train).toBe(40)
  await expect(card).toContainText(`${registered.classes.length} classes`)
  await expect(card.getByTestId('dataset-splits')).toContainText('train: 40')

  await card.getByTestId('dataset-remove').click()
  await card.getByTestId('dataset-remove-confirm').click()
  await expect(card).toHaveCount(0)
  const list = (await serviceCall(server, 'datasets.list', {})).result as { name: string }[]
  expect(list.map((d) => d.name)).not.toContain('Tiny digits')
  fs.rmSync(folder, { recursive: true, force: true })
})

test('a broken folder shows the service’s own message in place, and nothing is registered', async ({ page }) => {
  const folder = writeIdxFolder(10, 2, true)
  const answer = await serviceCall(server, 'datasets.register', { path: folder })
  expect(answer.ok).toBe(false)
  const before = ((await serviceCall(server, 'datasets.list', {})).result as unknown[]).length

  await page.goto(server.url)
  await page.getByTestId('nav-datasets').click()
  await page.getByLabel('Folder path').fill(folder)
  await page.getByLabel('Folder path').press('Enter')
  await expect(page.getByTestId('dataset-add-message')).toHaveText(answer.error!.message)
  await expect(page.getByLabel('Folder path')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('notice')).toHaveCount(0) // in place, not a toast
  await page.screenshot({ path: screenshotPath('datasets-broken-folder'), fullPage: true })
  expect(((await serviceCall(server, 'datasets.list', {})).result as unknown[]).length).toBe(before)

  await page.getByLabel('Folder path').fill('')
  await page.getByRole('button', { name: 'Detect format' }).click()
  await expect(page.getByText('Enter the path of a folder on this machine.')).toBeVisible()
  fs.rmSync(folder, { recursive: true, force: true })
})
