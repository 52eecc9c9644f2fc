/**
 * The transport of serve mode: contract frames over one WebSocket to `ws://<host>/api`.
 *
 * - Reconnects by itself with exponential backoff (plus jitter, so several windows do not
 *   hammer a restarting service in step).
 * - A request sent while the socket is down waits for it, up to the request timeout.
 * - When the connection drops, every request still waiting for an answer fails at once with a
 *   readable 'unavailable' error: the service may or may not have carried it out, and the user
 *   should know rather than watch a spinner forever.
 * - Every request has a timeout; a late answer is ignored.
 */
import type { ApiError } from '@api/errors'
import type { Transport } from '@api/client'
import type { RequestFrame, Response, ServerFrame } from '@api/wire'
import type { ConnectionListener, ConnectionState } from './connectionState'

/** The part of the WebSocket API this transport uses; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}
export type SocketFactory = (url: string) => SocketLike

export interface WebSocketTransportOptions {
  url: string
  createSocket?: SocketFactory
  /** How long one request may wait for its answer (including waiting for a connection). */
  requestTimeoutMs?: number
  /** First reconnect delay; doubles on every failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number
  maxBackoffMs?: number
}

export interface WebSocketTransport extends Transport {
  readonly state: ConnectionState
  onStateChange(listener: ConnectionListener): () => void
  /** Stops reconnecting and fails whatever is still waiting. */
  close(): void
}

const OPEN = 1

interface Pending {
  method: string
  frame: RequestFrame
  sent: boolean
  resolve(response: Response): void
  timer: ReturnType<typeof setTimeout>
}

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const createSocket: SocketFactory = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike)
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const initialBackoffMs = options.initialBackoffMs ?? 500
  const maxBackoffMs = options.maxBackoffMs ?? 10_000

  let socket: SocketLike | null = null
  let state: ConnectionState = 'connecting'
  let attempt = 0
  let everOpened = false
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null
  let nextId = 1
  const pending = new Map<number, Pending>()
  const eventListeners = new Set<(name: string, data: unknown) => void>()
  const stateListeners = new Set<ConnectionListener>()

  const setState = (next: ConnectionState) => {
    if (next === state) return
    state = next
    for (const listener of [...stateListeners]) listener(next)
  }

  const finish = (id: number, response: Response) => {
    const entry = pending.get(id)
    if (!entry) return
    pending.delete(id)
    clearTimeout(entry.timer)
    entry.resolve(response)
  }

  const failSent = (error: ApiError) => {
    for (const [id, entry] of pending) if (entry.sent) finish(id, { ok: false, error })
  }

  const flushUnsent = () => {
    if (!socket || socket.readyState !== OPEN) return
    for (const entry of pending.values()) {
      if (entry.sent) continue
      socket.send(JSON.stringify(entry.frame))
      entry.sent = true
    }
  }

  const connect = () => {
    reconnectTimer = null
    if (state === 'closed') return
    let current: SocketLike
    try {
      current = createSocket(options.url)
    } catch {
      return scheduleReconnect()
    }
    socket = current
    current.onopen = () => {
      if (socket !== current) return
      attempt = 0
      everOpened = true
      setState('open')
      flushUnsent()
    }
    current.onmessage = (event) => {
      if (socket !== current) return
      let frame: ServerFrame
      try {
        frame = JSON.parse(String(event.data))
      } catch {
        return // not a contract frame; nothing can be matched to it
      }
      if ('event' in frame) {
        for (const listener of [...eventListeners]) listener(frame.event, frame.data)
      } else if (typeof frame.id === 'number') {
        const { id, ...response } = frame
        finish(id, response as Response)
      }
    }
    current.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    }
    current.onclose = () => {
      if (socket !== current) return
      socket = null
      failSent({
        code: 'unavailable',
        message:
          'The connection to the AdvLab service was lost before it answered. The request may or may not have been carried out; check, then try again once the connection is back.'
      })
      if (state === 'closed') return
      setState(everOpened ? 'reconnecting' : 'connecting')
      scheduleReconnect()
    }
  }

  const scheduleReconnect = () => {
    if (state === 'closed' || reconnectTimer) return
    const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** attempt)
    attempt += 1
    const delay = base / 2 + Math.random() * (base / 2)
    reconnectTimer = setTimeout(connect, delay)
  }

  connect()

  return {
    get state() {
      return state
    },
    request(method, params) {
      return new Promise<Response>((resolve) => {
        if (state === 'closed') {
          return resolve({
            ok: false,
            error: { code: 'unavailable', message: 'This window has stopped talking to the AdvLab service; reload the page.' }
          })
        }
        const id = nextId++
        const frame: RequestFrame = { id, method, params: params ?? {} }
        const timer = setTimeout(() => {
          const entry = pending.get(id)
          finish(id, {
            ok: false,
            error: {
              code: 'unavailable',
              message: entry?.sent
                ? `The AdvLab service did not answer "${method}" within ${Math.round(requestTimeoutMs / 1000)} s. It may be busy; try again.`
                : `AdvLab could not reach its service for "${method}" within ${Math.round(requestTimeoutMs / 1000)} s. Check that "npm run serve" is still running and that this page was opened from the address it printed.`
            }
          })
        }, requestTimeoutMs)
        pending.set(id, { method, frame, sent: false, resolve, timer })
        flushUnsent()
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onStateChange(listener) {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    close() {
      setState('closed')
      if (reconnectTimer) clearTimeout(reconnectTimer)
      reconnectTimer = null
      const closing = socket
      socket = null
      closing?.close(1000, 'closed by the window')
      for (const id of [...pending.keys()])
        finish(id, {
          ok: false,
          error: { code: 'unavailable', message: 'This window stopped talking to the AdvLab service before the answer came.' }
        })
    }
  }
}
