/**
 * In the desktop app a renderer script cannot name a file: every path field of every path-taking
 * request is replaced in the main process by the user's pick in a file dialog, or kept only when
 * the main process already holds that path. The dialog here is a stand-in that records what it was
 * asked and answers as a user would; the IPC handler and the lab service are the real ones.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { requests } from '../../../src-main/api/contract'
import { createIpcRequestHandler } from '../../../src-main/main/ipc'
import { isAppUrl } from '../../../src-main/main/app-url'
import { PATH_FIELDS, PathGrants, substitutePaths, type ChooseRequest } from '../../../src-main/main/path-requests'
import { LabService } from '../../../src-main/lab/service'
import { tempDir } from '../../support/temp'

/** A dialog whose user picks `answers` in turn (null: cancels); records each request. */
function dialogAnswering(...answers: (string | null)[]) {
  const asked: ChooseRequest[] = []
  const choose = async (request: ChooseRequest) => {
    asked.push(request)
    return answers.length ? answers.shift()! : null
  }
  return { asked, choose }
}

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

describe('which requests take paths', () => {
  it('lists every field named path, file, out or dir of every request in the contract', () => {
    const missing: string[] = []
    for (const [method, spec] of Object.entries(requests)) {
      const shape = (spec.params as unknown as { shape?: Record<string, unknown> }).shape ?? {}
      for (const field of Object.keys(shape)) {
        if (!/^(path|file|out|dir|folder)$|Path$|Dir$/.test(field)) continue
        if (!PATH_FIELDS[method]?.some((f) => f.field === field)) missing.push(`${method}.${field}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('names only requests and fields that exist', () => {
    for (const [method, fields] of Object.entries(PATH_FIELDS)) {
      const shape = (requests[method as keyof typeof requests]?.params as unknown as { shape?: Record<string, unknown> })?.shape
      expect(shape, method).toBeDefined()
      for (const { field } of fields) expect(Object.keys(shape!), `${method}.${field}`).toContain(field)
    }
  })
})

describe('substituting dialog picks for renderer strings', () => {
  it('replaces the renderer’s path with the user’s pick, offering the string only as the starting point', async () => {
    const dialog = dialogAnswering('/home/u/backups/log.sqlite')
    const out = await substitutePaths('log.backup', { path: '/home/u/.ssh/authorized_keys' }, dialog.choose, new PathGrants())
    expect(out).toEqual({ ok: true, params: { path: '/home/u/backups/log.sqlite' } })
    expect(dialog.asked).toMatchObject([
      { method: 'log.backup', field: 'path', kind: 'save-file', suggestion: '/home/u/.ssh/authorized_keys' }
    ])
  })

  it('asks again for a path it does not hold, even one the renderer saw before in an answer', async () => {
    const dialog = dialogAnswering('/data/mnist', '/data/mnist', '/elsewhere/b.zip')
    const grants = new PathGrants()
    await substitutePaths('datasets.detect', { path: 'mnist' }, dialog.choose, grants)
    // Registration of the folder the user picked for detection: held, no second dialog.
    expect(await substitutePaths('datasets.register', { path: '/data/mnist', name: 'm' }, dialog.choose, grants)).toEqual({
      ok: true,
      params: { path: '/data/mnist', name: 'm' }
    })
    // …and of the sub-folder detection found inside it.
    expect(await substitutePaths('datasets.register', { path: '/data/mnist/raw' }, dialog.choose, grants)).toMatchObject({
      ok: true,
      params: { path: '/data/mnist/raw' }
    })
    expect(dialog.asked).toHaveLength(1)
    // A folder picked for reading is not thereby writable: writing a bundle into it asks.
    expect(await substitutePaths('export.bundle', { ids: [1], path: '/data/mnist/evil.zip' }, dialog.choose, grants)).toMatchObject({
      ok: true,
      params: { path: '/data/mnist' }
    })
    expect(dialog.asked).toHaveLength(2)
  })

  it('keeps a path under the lab’s own exports folder, on whole path segments only', async () => {
    const dialog = dialogAnswering('/picked/report.md', '/picked/report2.md', '/picked/report3.md')
    const grants = new PathGrants(['/lab/data/exports'])
    expect(
      await substitutePaths('studies.report', { id: 1, format: 'md', path: '/lab/data/exports/study-1.md' }, dialog.choose, grants)
    ).toMatchObject({ ok: true, params: { path: '/lab/data/exports/study-1.md' } })
    expect(dialog.asked).toHaveLength(0)
    for (const escape of ['/lab/data/exports-evil/x.md', '/lab/data/exports/../advlab.sqlite', '/lab/data/exports']) {
      const out = await substitutePaths('studies.report', { id: 1, path: escape }, dialog.choose, grants)
      expect(out.ok && (out.params as { path: string }).path, escape).toMatch(/^\/picked\//)
    }
  })

  it('never accepts a relative path, a NUL or a non-string as held', async () => {
    const grants = new PathGrants(['/lab/data/exports'])
    grants.grant('/data/mnist', 'open-folder')
    for (const given of ['data/mnist', '/data/mnist\0/x', 42, { toString: () => '/data/mnist' }]) {
      const dialog = dialogAnswering('/picked')
      await substitutePaths('datasets.register', { path: given }, dialog.choose, grants)
      expect(dialog.asked, String(given)).toHaveLength(1)
    }
  })

  it('substitutes the weights fields named "file" and "out", and leaves an absent optional path absent', async () => {
    const dialog = dialogAnswering('/w/in.safetensors', '/w/out.safetensors')
    const grants = new PathGrants()
    expect(await substitutePaths('weights.import', { file: '/etc/shadow', dataset: 'mnist' }, dialog.choose, grants)).toMatchObject({
      ok: true,
      params: { file: '/w/in.safetensors' }
    })
    expect(await substitutePaths('weights.export', { id: 1, out: '/etc/cron.d/x' }, dialog.choose, grants)).toMatchObject({
      ok: true,
      params: { out: '/w/out.safetensors' }
    })
    expect(await substitutePaths('export.table', { ids: [1], format: 'csv' }, dialog.choose, grants)).toEqual({
      ok: true,
      params: { ids: [1], format: 'csv' }
    })
    expect(dialog.asked.map((a) => a.kind)).toEqual(['open-file', 'save-file'])
  })

  it('answers a cancelled dialog with an error naming the request and field, and passes other requests untouched', async () => {
    const out = await substitutePaths('log.restore', { path: '/tmp/x' }, dialogAnswering(null).choose, new PathGrants())
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'path' } })
    expect(!out.ok && out.error.message).toMatch(/No file was chosen for "path" of log\.restore.*file dialog/)
    const params = { name: 'p' }
    expect(await substitutePaths('projects.create', params, dialogAnswering().choose, new PathGrants())).toEqual({ ok: true, params })
  })
})

describe('the desktop IPC handler', () => {
  function lab() {
    const t = tempDir('ipc-paths')
    const service = new LabService({ dataDir: path.join(t.dir, 'data') })
    cleanups.push(() => t.cleanup())
    return { service, dir: t.dir, close: () => service.close() }
  }

  it('writes a backup where the user chose, not where the renderer asked', async () => {
    const { service, dir, close } = lab()
    const asked = path.join(dir, 'renderer-asked.sqlite')
    const chosen = path.join(dir, 'user-chose.sqlite')
    const handler = createIpcRequestHandler(
      (m, p) => service.handle(m, p),
      isAppUrl,
      (m, p) => substitutePaths(m, p, dialogAnswering(chosen).choose, new PathGrants())
    )
    const answer = await handler({ senderFrame: { url: 'app://advlab/index.html' } }, 'log.backup', { path: asked })
    expect(answer).toMatchObject({ ok: true, result: { path: chosen } })
    expect(fs.existsSync(chosen)).toBe(true)
    expect(fs.existsSync(asked)).toBe(false)
    await close()
  })

  it('does nothing when the user cancels', async () => {
    const { service, dir, close } = lab()
    const asked = path.join(dir, 'renderer-asked.sqlite')
    const handler = createIpcRequestHandler(
      (m, p) => service.handle(m, p),
      isAppUrl,
      (m, p) => substitutePaths(m, p, dialogAnswering(null).choose, new PathGrants())
    )
    expect(await handler({ senderFrame: { url: 'app://advlab/index.html' } }, 'log.backup', { path: asked })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' }
    })
    expect(fs.existsSync(asked)).toBe(false)
    await close()
  })

  it('refuses senders that are not app://advlab, such as a file:// page in a sibling renderer-evil folder', async () => {
    let called = 0
    const handler = createIpcRequestHandler(async () => (called++, { ok: true, result: null }), isAppUrl)
    for (const url of [
      'file:///opt/AdvLab/out/renderer-evil/index.html',
      'file:///opt/AdvLab/out/renderer/index.html',
      'app://advlab.evil/',
      'https://evil.example/'
    ]) {
      expect(await handler({ senderFrame: { url } }, 'projects.list', {}), url).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' }
      })
    }
    expect(await handler({ senderFrame: null }, 'projects.list', {})).toMatchObject({ ok: false })
    expect(called).toBe(0)
  })
})
