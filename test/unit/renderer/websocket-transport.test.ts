/**
 * The serve-mode transport against a real WebSocket server (the `ws` package, as serve mode uses):
 * answers, events, waiting for a connection, timeouts, a dropped connection and the reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { loadRenderer } from './loadRenderer'
import type { ConnectionState, WebSocketTransport, WebSocketTransportModule } from './rendererShapes'

const { createWebSocketTransport } = await loadRenderer<WebSocketTransportModule>('api/websocketTransport')

type Handler = (frame: { id: number; method: string; params: unknown }, socket: WebSocket) => void

/** A tiny service on a real port; `handler` decides what to answer. */
async function startService(handler: Handler, port = 0) {
  const server = http.createServer()
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => socket.on('message', (raw) => handler(JSON.parse(String(raw)), socket)))
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const actualPort = (server.address() as AddressInfo).port
  return {
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}/api`,
    wss,
    async stop() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

const echo: Handler = (frame, socket) =>
  socket.send(JSON.stringify({ id: frame.id, ok: true, result: { method: frame.method, params: frame.params } }))
const createSocket = (url: string) => new WebSocket(url)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function transportFor(url: string, options: { requestTimeoutMs?: number } = {}): WebSocketTransport {
  const transport = createWebSocketTransport({ url, createSocket, initialBackoffMs: 50, maxBackoffMs: 200, ...options })
  cleanups.push(() => transport.close())
  return transport
}

function nextState(transport: WebSocketTransport, wanted: ConnectionState): Promise<void> {
  if (transport.state === wanted) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = transport.onStateChange((state) => {
      if (state === wanted) {
        stop()
        resolve()
      }
    })
  })
}

describe('WebSocket transport (serve mode)', () => {
  it('answers each request with the response carrying its id, even when answers come out of order', async () => {
    const held: { id: number; socket: WebSocket }[] = []
    const service = await startService((frame, socket) => {
      held.push({ id: frame.id, socket })
      if (held.length === 2) for (const { id, socket: s } of held.reverse()) s.send(JSON.stringify({ id, ok: true, result: id * 10 }))
    })
    cleanups.push(service.stop)
    const transport = transportFor(service.url)
    const [first, second] = await Promise.all([transport.request('a', {}), transport.request('b', {})])
    expect(first).toEqual({ ok: true, result: 10 })
    expect(second).toEqual({ ok: true, result: 20 })
  })

  it('a request made before the socket opens waits for it and is then sent', async () => {
    const service = await startService(echo)
    cleanups.push(service.stop)
    const transport = transportFor(service.url)
    expect(transport.state).toBe('connecting')
    const response = await transport.request('projects.list', {})
    expect(response).toEqual({ ok: true, result: { method: 'projects.list', params: {} } })
    expect(transport.state).toBe('open')
  })

  it('passes every event frame to every listener until it unsubscribes', async () => {
    const service = await startService((frame, socket) => {
      socket.send(JSON.stringify({ event: 'projects.changed', data: { id: 7 } }))
      echo(frame, socket)
    })
    cleanups.push(service.stop)
    const transport = transportFor(service.url)
    const seen: unknown[] = []
    const stop = transport.onEvent((name, data) => seen.push([name, data]))
    await transport.request('x', {})
    expect(seen).toEqual([['projects.changed', { id: 7 }]])
    stop()
    await transport.request('x', {})
    expect(seen).toHaveLength(1)
  })

  it('a request the service never answers fails with a readable "unavailable" error after the timeout', async () => {
    const service = await startService(() => {})
    cleanups.push(service.stop)
    const transport = transportFor(service.url, { requestTimeoutMs: 300 })
    const response = await transport.request('status.get', {})
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.code).toBe('unavailable')
    expect(response.error.message).toContain('"status.get"')
    expect(response.error.message).toMatch(/did not answer/)
  })

  it('when the connection drops, a waiting request fails at once, the state says "reconnecting", and a restarted service is reached again', async () => {
    let service = await startService(() => {}) // holds every request without answering
    const port = service.port
    const transport = transportFor(service.url, { requestTimeoutMs: 30_000 })
    const states: ConnectionState[] = []
    transport.onStateChange((s) => states.push(s))

    const waiting = transport.request('projects.create', { name: 'x' })
    await nextState(transport, 'open')
    await new Promise((r) => setTimeout(r, 50)) // let the frame reach the service
    const started = Date.now()
    await service.stop()

    const response = await waiting
    expect(Date.now() - started).toBeLessThan(5_000) // failed on the drop, not on the 30 s timeout
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.code).toBe('unavailable')
    expect(response.error.message).toMatch(/connection .* was lost/)
    expect(transport.state).toBe('reconnecting')

    service = await startService(echo, port)
    cleanups.push(service.stop)
    await nextState(transport, 'open')
    expect(await transport.request('status.get', {})).toEqual({ ok: true, result: { method: 'status.get', params: {} } })
    expect(states).toEqual(['open', 'reconnecting', 'open'])
  })

  it('a request made while reconnecting is sent once the service is back', async () => {
    let service = await startService(echo)
    const port = service.port
    const transport = transportFor(service.url)
    await transport.request('warm-up', {})
    await service.stop()
    await nextState(transport, 'reconnecting')

    const later = transport.request('projects.list', {})
    service = await startService(echo, port)
    cleanups.push(service.stop)
    expect(await later).toEqual({ ok: true, result: { method: 'projects.list', params: {} } })
  })

  it('after close, requests fail readably and no reconnect is attempted', async () => {
    const service = await startService(echo)
    cleanups.push(service.stop)
    const transport = transportFor(service.url)
    await transport.request('x', {})
    transport.close()
    expect(transport.state).toBe('closed')
    const response = await transport.request('x', {})
    expect(response.ok).toBe(false)
    await new Promise((r) => setTimeout(r, 300))
    expect(service.wss.clients.size).toBe(0)
  })
})
