/**
 * Serve mode: the renderer and the lab service in one Node process, on 127.0.0.1 only.
 * Every HTTP request and WebSocket must carry the per-start token (in the URL once, then as a
 * same-site cookie), name this server in its Host header, and — for a WebSocket opened by a page —
 * come from exactly the origin the app is served on. Anything a client sends, however malformed,
 * is answered (400, 401, 403, 404, 405 …, always with the security headers) or ends that one
 * connection; it never reaches the process.
 */
import http from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { LabService } from '../lab/service'
import { WS_PATH } from '../api/wire'
import { newToken, tokenMatches, tokenOf, TOKEN_COOKIE } from './auth'
import { serveStatic } from './static'
import { plain, rawResponse, SECURITY_HEADERS } from './headers'
import { parseTarget, pathProblem, printable } from './request-target'
import { hostAllowed, originAllowed } from './origin'
import { handshakeProblem } from './handshake'
import { attachClient, MAX_MESSAGE_BYTES } from './ws-client'

export interface ServeOptions {
  dataDir: string
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
  /** Where notes about refused connections go (stderr by default). */
  log?: (line: string) => void
}

export interface RunningServer {
  url: string
  port: number
  token: string
  lab: LabService
  close(): Promise<void>
}

const NEEDS_TOKEN = 'AdvLab: this address needs the token printed when serve mode started.'
const hostRefusal = (host: string | undefined, port: number) =>
  `AdvLab answers only requests addressed to 127.0.0.1:${port} or localhost:${port}; this one was addressed to "${printable(host ?? '(no Host header)')}".`

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'))
  const lab = new LabService({ dataDir: options.dataDir })
  let port = 0

  // requireHostHeader off: a request without Host is refused by our own check, with our headers.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    try {
      answerRequest(req, res)
    } catch (error) {
      log(`serve: a request failed unexpectedly: ${(error as Error).stack}`)
      plain(req, res, 500, 'AdvLab: the request failed unexpectedly; the details are in the terminal running serve mode.')
    }
  })

  function answerRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = parseTarget(req.url)
    if (!target) return plain(req, res, 400, `Bad request: "${printable(req.url ?? '')}" is not a path on this server.`)
    if (hostHeaderCount(req) > 1) return plain(req, res, 400, 'Bad request: the request carries more than one Host header.')
    if (!hostAllowed(req.headers.host, port)) return plain(req, res, 403, hostRefusal(req.headers.host, port))
    if (!tokenMatches(tokenOf(req, target.searchParams), token)) return plain(req, res, 401, NEEDS_TOKEN)
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(req, res, 405, `Method ${printable(req.method ?? '')} not allowed: the app is read with GET or HEAD.`, {
        Allow: 'GET, HEAD'
      })
    const problem = pathProblem(target.pathname)
    if (problem) return plain(req, res, 400, `Bad request: ${problem}.`)
    const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    serveStatic(options.rendererDir, target.pathname, req, res, { ...SECURITY_HEADERS, 'Set-Cookie': cookie })
  }

  // A request the HTTP parser cannot read (bad method, bad header, oversized headers, timeout):
  // answer it on the raw socket when it can still be written, then close just that connection.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
    const code = error.code ?? 'parse error'
    const [status, text] =
      code === 'HPE_HEADER_OVERFLOW'
        ? [431, `Request too large: its address and headers exceed ${http.maxHeaderSize} bytes (${code}).`]
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, `Request timeout: the request did not arrive in time (${code}).`]
          : [400, `Bad request: the HTTP request could not be read (${code}).`]
    socket.end(rawResponse(status, text))
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  wss.on('headers', (headers) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.push(`${name}: ${value}`)
  })
  wss.on('error', (error) => log(`serve: WebSocket server error: ${error.message}`))
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // The http module lets go of the socket here: a reset from now on must not go unheard.
    socket.on('error', () => socket.destroy())
    const refuse = (status: number, text: string) => {
      if (socket.writable) socket.end(rawResponse(status, text, req.method !== 'HEAD'), () => socket.destroy())
      else socket.destroy()
    }
    try {
      const target = parseTarget(req.url)
      if (!target) return refuse(400, `Bad request: "${printable(req.url ?? '')}" is not a path on this server.`)
      if (hostHeaderCount(req) > 1) return refuse(400, 'Bad request: the request carries more than one Host header.')
      if (!hostAllowed(req.headers.host, port)) return refuse(403, hostRefusal(req.headers.host, port))
      if (target.pathname !== WS_PATH) return refuse(404, `Not found: the lab's WebSocket is at ${WS_PATH}.`)
      if (!tokenMatches(tokenOf(req, target.searchParams), token)) return refuse(401, NEEDS_TOKEN)
      if (!originAllowed(req.headers.origin, req.headers.host, port))
        return refuse(
          403,
          `AdvLab accepts WebSockets only from pages it served itself; this one came from "${printable(req.headers.origin ?? '')}".`
        )
      const problem = handshakeProblem(req)
      if (problem) return refuse(400, `Bad request: ${problem}.`)
      wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, lab, log))
    } catch (error) {
      log(`serve: a WebSocket upgrade failed unexpectedly: ${(error as Error).stack}`)
      refuse(500, 'AdvLab: the connection failed unexpectedly.')
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  server.on('error', (error) => log(`serve: server error: ${error.message}`))
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    lab,
    async close() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await lab.close()
    }
  }
}

/** Node keeps the first of several Host headers; a request that sends two is ambiguous, so refused. */
function hostHeaderCount(req: http.IncomingMessage): number {
  let count = 0
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'host') count++
  return count
}
