import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import os from 'node:os'
import { testLab } from '../../support/lab'

let t: ReturnType<typeof testLab>
beforeAll(() => {
  t = testLab('settings')
})
afterAll(() => t.close())

describe('settings', () => {
  it('start automatic, with one worker, and report the cores and data directory', async () => {
    await expect(t.api.request('settings.get', {})).resolves.toEqual({
      backendOverride: null,
      workers: 1,
      cores: os.cpus().length,
      dataDir: t.dataDir
    })
  })

  it('switch the engine backend: the override is tried first and the status shows it', async () => {
    const previous = process.env.ADVLAB_BACKEND
    delete process.env.ADVLAB_BACKEND
    try {
      await t.api.request('settings.set', { backendOverride: 'cpu' })
      expect((await t.api.request('status.get', {})).backend.name).toBe('cpu')
      await t.api.request('settings.set', { backendOverride: null })
      expect((await t.api.request('status.get', {})).backend.name).not.toBe('cpu')
    } finally {
      if (previous !== undefined) process.env.ADVLAB_BACKEND = previous
    }
  })

  it('change the number of workers and remember it in the log', async () => {
    await t.api.request('settings.set', { workers: 2 })
    expect(t.lab.ctx.jobs.concurrency).toBe(2)
    expect((await t.api.request('settings.get', {})).workers).toBe(2)
  })

  it('refuse an unknown backend, naming the field', async () => {
    await expect(t.api.call('settings.set', { backendOverride: 'tpu' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_params', field: 'backendOverride' }
    })
  })
})
