/**
 * The renderer's stores against the real lab service (in-process transport, temporary data dir):
 * what they hold after loading, how errors reach the form or the notices, and live refresh.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { ApiCallError } from '@api/client'
import { LabService } from '@lab/service'
import { inProcessTransport } from '@lab/in-process-transport'
import { createProject } from '@lab/store/projects'
import { loadRenderer } from './loadRenderer'
import { loadStores, type ApiModule, type ConnectionListener, type ConnectionSource, type ConnectionState } from './rendererShapes'

const { installApi, request } = await loadRenderer<ApiModule>('api/index')
const { useProjectsStore, useStatusStore, useNoticesStore, useConnectionStore, keepStoresLive } = await loadStores(loadRenderer)

let lab: LabService
let dataDir: string
const stops: (() => void)[] = []

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'advlab-renderer-stores-'))
  lab = new LabService({ dataDir })
  installApi(inProcessTransport(lab))
  setActivePinia(createPinia())
})
afterEach(() => {
  stops.splice(0).forEach((stop) => stop())
  lab.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** A connection whose state the test sets, standing in for the socket's ups and downs. */
function connectionSource(initial: ConnectionState = 'open') {
  let state = initial
  const listeners = new Set<ConnectionListener>()
  const source: ConnectionSource = {
    state: () => state,
    onStateChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
  return {
    source,
    set(next: ConnectionState) {
      state = next
      listeners.forEach((l) => l(next))
    }
  }
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('renderer stores on the real lab service', () => {
  it('the status store holds what status.get reports, including the engine backend', async () => {
    const status = useStatusStore()
    await status.load()
    const reported = await lab.handle('status.get', {})
    expect(reported.ok).toBe(true)
    expect(status.error).toBeNull()
    expect(status.status?.backend.name).toBe((reported as { result: { backend: { name: string } } }).result.backend.name)
    expect(status.status?.logPath).toBe(lab.ctx.logPath)
  })

  it('the projects store creates and renames projects and keeps them in name order', async () => {
    const projects = useProjectsStore()
    await projects.load()
    expect(projects.projects).toEqual([])
    const zeta = await projects.create('zeta')
    await projects.create('Alpha')
    expect(projects.projects.map((p) => p.name)).toEqual(['Alpha', 'zeta'])
    await projects.rename(zeta.id, 'beta')
    expect(projects.projects.map((p) => p.name)).toEqual(['Alpha', 'beta'])
  })

  it('a duplicate name reaches the form as the service’s error with its field, and not as a notice', async () => {
    stops.push(keepStoresLive(connectionSource().source))
    const projects = useProjectsStore()
    await projects.create('MNIST')
    const failure = await projects.create('MNIST').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiCallError)
    expect((failure as ApiCallError).field).toBe('name')
    expect((failure as ApiCallError).message).toMatch(/already exists/)
    expect(useNoticesStore().notices).toEqual([])
  })

  it('a failed request nobody handles in place becomes one readable notice with the service’s message', async () => {
    stops.push(keepStoresLive(connectionSource().source))
    const notices = useNoticesStore()
    await request('projects.rename', { id: 999, name: 'x' }).catch(() => {})
    await request('projects.rename', { id: 999, name: 'x' }).catch(() => {}) // the same failure again
    expect(notices.notices).toHaveLength(1)
    expect(notices.notices[0]).toMatchObject({ kind: 'error', method: 'projects.rename', error: { code: 'not_found' } })
    expect(notices.notices[0].error?.message).toContain('999')
  })

  it('a failed first load is shown by the panel itself; a failed refresh of shown data becomes a notice', async () => {
    stops.push(keepStoresLive(connectionSource().source))
    const notices = useNoticesStore()
    const projects = useProjectsStore()
    const status = useStatusStore()
    await projects.load()
    lab.close() // the service now answers every request with 'unavailable'

    await status.load() // nothing shown yet: the panel shows the error
    expect(status.error?.code).toBe('unavailable')
    expect(notices.notices).toEqual([])

    await projects.load() // a list is on screen: the failure must not hide behind it
    expect(notices.notices).toHaveLength(1)
    expect(notices.notices[0]).toMatchObject({ kind: 'error', method: 'projects.list', error: { code: 'unavailable' } })
  })

  it('a project created by another client appears through projects.changed, with the counts', async () => {
    stops.push(keepStoresLive(connectionSource().source))
    const projects = useProjectsStore()
    const status = useStatusStore()
    await Promise.all([projects.load(), status.load()])
    await lab.handle('projects.create', { name: 'from the CLI' })
    await until(() => projects.projects.length === 1 && status.status?.counts.projects === 1, 'the reload after projects.changed')
    expect(projects.projects[0].name).toBe('from the CLI')
  })

  it('after a lost connection comes back, the stores re-read what they may have missed', async () => {
    const connection = connectionSource()
    stops.push(keepStoresLive(connection.source))
    const projects = useProjectsStore()
    await projects.load()

    connection.set('reconnecting')
    expect(useConnectionStore().state).toBe('reconnecting')
    // Written straight into the log: like an event sent while the window was away, none arrives.
    createProject(lab.ctx.db, 'missed')
    await new Promise((r) => setTimeout(r, 50))
    expect(projects.projects).toEqual([])

    connection.set('open')
    expect(useConnectionStore().recovered).toBe(true)
    await until(() => projects.projects.some((p) => p.name === 'missed'), 'the reload after reconnecting')
  })
})
