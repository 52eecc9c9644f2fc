/**
 * The contract, spoken over both real transports. Every behaviour here must hold identically for
 * the desktop app (IPC through the preload bridge) and for serve mode (WebSocket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { createApiClient, ApiCallError, type ApiClient } from '../../../src-main/api/client'
import { StatusSchema } from '../../../src-main/api/status'
import { LabService } from '../../../src-main/lab/service'
import { startServer, type RunningServer } from '../../../src-main/server/server'
import { desktopTransport, websocketTransport } from '../../support/transports'
import { tempDir } from '../../support/temp'

type Setup = { client: ApiClient; teardown: () => Promise<void> }

const transports: Record<string, () => Promise<Setup>> = {
  'desktop IPC': async () => {
    const { dir, cleanup } = tempDir('contract-ipc')
    const lab = new LabService({ dataDir: dir })
    const transport = desktopTransport(lab)
    return {
      client: createApiClient(transport),
      teardown: async () => {
        transport.close()
        await lab.close()
        cleanup()
      }
    }
  },
  'serve WebSocket': async () => {
    const { dir, cleanup } = tempDir('contract-ws')
    const server: RunningServer = await startServer({ dataDir: dir, rendererDir: path.join(dir, 'no-renderer') })
    const transport = await websocketTransport(server)
    return {
      client: createApiClient(transport),
      teardown: async () => {
        transport.close()
        await server.close()
        cleanup()
      }
    }
  }
}

for (const [name, setup] of Object.entries(transports)) {
  describe(`the contract over ${name}`, () => {
    let s: Setup
    beforeAll(async () => {
      s = await setup()
    })
    afterAll(() => s.teardown())

    it('answers status.get with a status that satisfies its schema', async () => {
      const status = await s.client.request('status.get', {})
      expect(StatusSchema.parse(status)).toEqual(status)
      expect(status.logPath).toMatch(/advlab\.sqlite$/)
      expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(status.backend.name)
    })

    it('creates a project, lists it and renames it', async () => {
      const created = await s.client.request('projects.create', { name: '  CIFAR distillation  ' })
      expect(created.name).toBe('CIFAR distillation')
      const renamed = await s.client.request('projects.rename', { id: created.id, name: 'Distillation T=20' })
      expect(renamed).toMatchObject({ id: created.id, name: 'Distillation T=20', runCount: 0 })
      const list = await s.client.request('projects.list', {})
      expect(list.map((p) => p.name)).toContain('Distillation T=20')
    })

    it('sends projects.changed to the client when a project is created', async () => {
      const seen = new Promise<unknown>((resolve) => {
        const off = s.client.on('projects.changed', (data) => {
          off()
          resolve(data)
        })
      })
      const project = await s.client.request('projects.create', { name: 'Events' })
      await expect(seen).resolves.toEqual({ id: project.id })
    })

    it('rejects invalid params with a structured error naming the field', async () => {
      const response = await s.client.call('projects.create', { name: '   ' })
      expect(response).toEqual({
        ok: false,
        error: { code: 'invalid_params', field: 'name', message: 'Invalid request projects.create: field "name" must not be empty' }
      })
    })

    it('rejects a wrong type and unknown keys, naming the field', async () => {
      const wrongType = await s.client.call('projects.rename', { id: 'seven', name: 'x' })
      expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'id' } })
      const extra = await s.client.call('projects.list', { limit: 3 })
      expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    })

    it('rejects a duplicate project name as a conflict on the name field', async () => {
      await s.client.request('projects.create', { name: 'Baseline' })
      const error = await s.client.request('projects.create', { name: 'baseline' }).catch((e) => e)
      expect(error).toBeInstanceOf(ApiCallError)
      expect(error.error).toEqual({
        code: 'conflict',
        field: 'name',
        message: 'A project named "baseline" already exists; choose another name.'
      })
    })

    it('answers an unknown request with unknown_method, not a crash', async () => {
      const response = await s.client.call('runs.explode', {})
      expect(response).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no request named "runs.explode".' } })
      // The service is still there.
      await expect(s.client.request('projects.list', {})).resolves.toBeInstanceOf(Array)
    })

    it('answers not_found for a project that does not exist', async () => {
      const response = await s.client.call('projects.rename', { id: 999999, name: 'Ghost' })
      expect(response).toEqual({ ok: false, error: { code: 'not_found', field: 'id', message: 'There is no project with id 999999.' } })
    })
  })
}

describe('the desktop transport', () => {
  it('refuses requests from a frame that is not the AdvLab window', async () => {
    const { dir, cleanup } = tempDir('contract-foreign')
    const lab = new LabService({ dataDir: dir })
    const transport = desktopTransport(lab, 'https://example.com/')
    await expect(transport.request('projects.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    await lab.close()
    cleanup()
  })
})
