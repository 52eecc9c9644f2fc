/** Serve mode over real HTTP and WebSocket on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../../src-main/server/server'
import { tempDir } from '../../support/temp'

let server: RunningServer
let cleanup: () => void
let rendererDir: string

beforeAll(async () => {
  const t = tempDir('serve')
  cleanup = t.cleanup
  rendererDir = path.join(t.dir, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AdvLab</title>')
  fs.writeFileSync(path.join(rendererDir, 'assets/app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'outside the renderer')
  server = await startServer({ dataDir: path.join(t.dir, 'data'), rendererDir })
})
afterAll(async () => {
  await server.close()
  cleanup()
})

const wsUpgrade = (url: string, headers: Record<string, string> = {}) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => {
      ws.close()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    ws.once('error', (e) => resolve(`error ${e.message}`))
  })

describe('serve mode', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  })

  it('refuses a page request without the token with 401', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`)
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('needs the token')
  })

  it('refuses a wrong token with 401', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/?token=${'x'.repeat(32)}`)
    expect(res.status).toBe(401)
  })

  it('serves the app with the token, sets a same-site HttpOnly cookie and the CSP header', async () => {
    const res = await fetch(server.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/^advlab_token=[^;]+; HttpOnly; SameSite=Strict; Path=\/$/)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await res.text()).toContain('<title>AdvLab</title>')
  })

  it('serves assets to a client holding the cookie', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/assets/app.js`, { headers: { cookie: `advlab_token=${server.token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('never serves a file outside the renderer directory', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/..%2fsecret.txt`, { headers: { cookie: `advlab_token=${server.token}` } })
    expect(res.status).toBe(403)
  })

  it('refuses a WebSocket without the token, accepts it with the token', async () => {
    expect(await wsUpgrade(`ws://127.0.0.1:${server.port}/api`)).toBe('refused 401')
    expect(await wsUpgrade(`ws://127.0.0.1:${server.port}/api?token=${server.token}`)).toBe('open')
  })

  it('refuses a WebSocket opened by a page from another origin, even with the token', async () => {
    expect(await wsUpgrade(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { Origin: 'https://evil.example' })).toBe(
      'refused 403'
    )
  })

  it('answers a malformed frame with a structured error and keeps the connection', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`)
    await new Promise((r) => ws.once('open', r))
    const answers: unknown[] = []
    ws.on('message', (raw) => answers.push(JSON.parse(String(raw))))
    ws.send('{not json')
    ws.send(JSON.stringify({ id: 7, method: 'projects.list', params: {} }))
    await new Promise((r) => setTimeout(r, 200))
    expect(answers).toEqual([
      { id: -1, ok: false, error: { code: 'invalid_params', message: 'The message was not valid JSON.' } },
      { id: 7, ok: true, result: [] }
    ])
    ws.close()
  })
})
