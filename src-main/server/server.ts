/**
 * Serve mode: the renderer and the lab service in one Node process, on 127.0.0.1 only.
 * Every HTTP request and WebSocket must carry the per-start token (in the URL once, then as a
 * same-site cookie); anything else is refused with 401.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { LabService } from '../lab/service'
import { WS_PATH, type RequestFrame, type ServerFrame } from '../api/wire'
import { newToken, tokenMatches, tokenOf, TOKEN_COOKIE } from './auth'
import { plain, serveStatic } from './static'
import { CONTENT_SECURITY_POLICY } from './csp'

export interface ServeOptions {
  dataDir: string
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  lab: LabService
  close(): Promise<void>
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const lab = new LabService({ dataDir: options.dataDir })
  const securityHeaders = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY'
  }

  const server = http.createServer((req, res) => {
    if (!tokenMatches(tokenOf(req), token)) return plain(res, 401, 'AdvLab: this address needs the token printed when serve mode started.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    serveStatic(options.rendererDir, url.pathname, res, { ...securityHeaders, 'Set-Cookie': cookie })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const sameOrigin = !req.headers.origin || isLoopbackOrigin(req.headers.origin)
    if (url.pathname !== WS_PATH || !tokenMatches(tokenOf(req), token) || !sameOrigin) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, lab))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    lab,
    async close() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await lab.close()
    }
  }
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname } = new URL(origin)
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]'
  } catch {
    return false
  }
}

/** One WebSocket client: requests in, answers and every event out. */
function attachClient(ws: WebSocket, lab: LabService): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  const unsubscribe = lab.subscribe((event, data) => send({ event, data }))
  ws.on('close', unsubscribe)
  ws.on('message', async (raw) => {
    let frame: RequestFrame
    try {
      frame = JSON.parse(String(raw))
    } catch {
      return send({ id: -1, ok: false, error: { code: 'invalid_params', message: 'The message was not valid JSON.' } })
    }
    if (typeof frame?.id !== 'number' || typeof frame.method !== 'string') {
      return send({ id: typeof frame?.id === 'number' ? frame.id : -1, ok: false, error: { code: 'invalid_params', message: 'A request needs a numeric "id" and a "method" name.' } })
    }
    send({ id: frame.id, ...(await lab.handle(frame.method, frame.params)) })
  })
}
