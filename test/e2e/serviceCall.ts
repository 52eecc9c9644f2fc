/**
 * Talks to serve mode's WebSocket from the test itself (Node `ws`), the way the page does, so a
 * test can ask the service what it answers and then check that the UI shows exactly that.
 */
import WebSocket from 'ws'
import type { ServeProcess } from './serve'

export interface RawResponse {
  ok: boolean
  result?: unknown
  error?: { code: string; message: string; field?: string }
}

export function socketUrl(server: ServeProcess, withToken = true): string {
  const token = new URL(server.url).searchParams.get('token')
  return `${server.origin.replace(/^http/, 'ws')}/api${withToken ? `?token=${token}` : ''}`
}

export function serviceCall(server: ServeProcess, method: string, params: unknown): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(server))
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, params })))
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw))
      if (frame.id !== 1) return
      ws.close()
      const { id: _id, ...response } = frame
      resolve(response)
    })
  })
}

/** Resolves with the HTTP status the server answered an upgrade with, or 101 when it accepted. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error)
    })
  })
}
