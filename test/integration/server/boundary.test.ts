/**
 * What serve mode accepts and how it answers: the exact Origin and Host checks (a page on another
 * port, DNS rebinding), the security headers on every answer, HEAD without a body, the SPA
 * fallback of the static server. In-process: none of these may crash it, and if one did the
 * survives.test.ts cases would say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../../src-main/server/server'
import { tempDir } from '../../support/temp'
import { httpRequest, parseResponse, rawExchange } from './raw'

let server: RunningServer
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir('boundary')
  cleanup = t.cleanup
  const rendererDir = path.join(t.dir, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AdvLab</title>')
  fs.writeFileSync(path.join(rendererDir, 'assets/app.js'), 'console.log(1)')
  server = await startServer({ dataDir: path.join(t.dir, 'data'), rendererDir, log: () => {} })
})
afterAll(async () => {
  await server.close()
  cleanup()
})

/** Opens the lab's WebSocket with these headers: 'open', or 'refused <status>'. */
const upgrade = (headers: Record<string, string>) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { headers })
    ws.once('open', () => {
      ws.close()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    ws.once('error', (e) => resolve(`error ${e.message}`))
  })

const raw = async (target: string, options: Parameters<typeof httpRequest>[2] = {}) =>
  parseResponse((await rawExchange(server.port, httpRequest(server.port, target, options))).bytes)!

describe('the WebSocket Origin check is exact: scheme, host and port', () => {
  it('accepts a page served by this server, under either of its names', async () => {
    expect(await upgrade({ Origin: `http://127.0.0.1:${server.port}` })).toBe('open')
    expect(await upgrade({ Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` })).toBe('open')
  })

  it('refuses a page on another port of 127.0.0.1', async () => {
    expect(await upgrade({ Origin: `http://127.0.0.1:${server.port + 1}` })).toBe('refused 403')
    expect(await upgrade({ Origin: 'http://127.0.0.1' })).toBe('refused 403')
  })

  it('refuses a page on another scheme or another loopback name than the one it was served under', async () => {
    expect(await upgrade({ Origin: `https://127.0.0.1:${server.port}` })).toBe('refused 403')
    expect(await upgrade({ Origin: `http://localhost:${server.port}` })).toBe('refused 403')
    expect(await upgrade({ Origin: 'null' })).toBe('refused 403')
  })
})

describe('the Host header must name this server (DNS rebinding)', () => {
  it('refuses a page request addressed to another name, even with the token', async () => {
    const res = await raw(`/?token=${server.token}`, { headers: { Host: `evil.example:${server.port}` } })
    expect(res.status).toBe(403)
    expect(res.body).toContain('evil.example')
  })

  it('refuses a WebSocket addressed to another name, even with the token and a matching Origin', async () => {
    expect(await upgrade({ Host: `rebound.example:${server.port}`, Origin: `http://rebound.example:${server.port}` })).toBe('refused 403')
  })

  it('refuses the right name on the wrong port, and a request with no Host at all', async () => {
    expect((await raw(`/?token=${server.token}`, { headers: { Host: '127.0.0.1:1' } })).status).toBe(403)
    const reply = parseResponse((await rawExchange(server.port, `GET /?token=${server.token} HTTP/1.0\r\n\r\n`)).bytes)!
    expect(reply.status).toBe(403)
  })

  it('accepts 127.0.0.1, localhost and [::1] with its own port', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await raw(`/?token=${server.token}`, { headers: { Host: host } })).status, host).toBe(200)
    }
  })
})

describe('security headers on every answer', () => {
  const cases: [string, () => Promise<{ status: number; headers: Record<string, string> }>, number][] = [
    ['200', () => raw(`/?token=${server.token}`), 200],
    ['400 (bad path)', () => raw('/%', { token: server.token }), 400],
    [
      '400 (unreadable request)',
      async () => parseResponse((await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')).bytes)!,
      400
    ],
    ['401', () => raw('/'), 401],
    ['403 (outside the renderer)', () => raw('/..%2fsecret.txt', { token: server.token }), 403],
    ['403 (foreign Host)', () => raw('/', { token: server.token, headers: { Host: 'evil.example' } }), 403],
    [
      '404 (WebSocket elsewhere)',
      () => raw('/nope', { token: server.token, headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }),
      404
    ],
    ['405', () => raw('/', { token: server.token, method: 'POST', headers: { 'Content-Length': '0' } }), 405]
  ]
  for (const [name, request, status] of cases) {
    it(`sends CSP, nosniff, no-referrer and frame-denial on a ${name} answer`, async () => {
      const res = await request()
      expect(res.status).toBe(status)
      expect(res.headers['content-security-policy']).toContain("default-src 'self'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['x-frame-options']).toBe('DENY')
    })
  }

  it('sends them on the WebSocket handshake too', async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`)
      ws.on('error', () => {}) // terminated on purpose once the handshake's headers are in
      ws.once('upgrade', (res) => {
        resolve(res.headers)
        ws.terminate()
      })
    })
    expect(headers['content-security-policy']).toContain("default-src 'self'")
  })
})

describe('HEAD and the static server', () => {
  it('answers HEAD with the headers of GET and no body, on success and on refusal', async () => {
    for (const [target, token, status] of [
      ['/', server.token, 200],
      ['/assets/app.js', server.token, 200],
      ['/', undefined, 401]
    ] as const) {
      const res = await raw(target, { method: 'HEAD', token })
      expect(res.status, target).toBe(status)
      expect(res.body, `${target} → ${status}`).toBe('')
    }
  })

  it('answers HEAD with no body on the WebSocket path too (an upgrade refused for its method)', async () => {
    const upgradeHeaders = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='
    }
    for (const token of [server.token, undefined]) {
      const res = await raw(`/api${token ? `?token=${token}` : ''}`, { method: 'HEAD', headers: upgradeHeaders })
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.body).toBe('')
      expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    }
  })

  it('answers an unknown path with the app shell (the renderer router owns it)', async () => {
    const res = await raw('/runs/42/compare', { token: server.token })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>AdvLab</title>')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
  })

  it('answers a folder of the renderer with the app shell, not a listing or a redirect', async () => {
    expect((await raw('/assets', { token: server.token })).body).toContain('<title>AdvLab</title>')
    expect((await raw('/assets/', { token: server.token })).body).toContain('<title>AdvLab</title>')
  })

  it('answers a request target that is not a path (“//”, absolute-form) with 400', async () => {
    expect((await raw('//', { token: server.token })).status).toBe(400)
    expect((await raw('http://[/', { token: server.token })).status).toBe(400)
  })

  it('answers other methods with 405 naming GET and HEAD', async () => {
    const res = await raw('/', { token: server.token, method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
  })
})
