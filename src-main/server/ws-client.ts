/**
 * One WebSocket client of serve mode: requests in, answers and every event out.
 * Every way a connection can fail ends that connection and nothing else: protocol errors (bad
 * UTF-8, reserved opcodes, unmasked or oversized frames) reach the `error` listener after `ws` has
 * closed the connection with the matching code; a malformed request gets a structured error.
 */
import type { WebSocket } from 'ws'
import type { LabService } from '../lab/service'
import type { ServerFrame } from '../api/wire'

/** Requests are small JSON objects (configs, ids); nothing a client sends comes near this. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

const invalid = (id: number, message: string): ServerFrame => ({ id, ok: false, error: { code: 'invalid_params', message } })

export function attachClient(ws: WebSocket, lab: LabService, log: (line: string) => void): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  // `ws` has already sent the close frame (1002, 1007, 1009 …) when this fires; only note it.
  ws.on('error', (error: Error & { code?: string }) =>
    log(`serve: closed a WebSocket after a protocol error (${error.code ?? 'error'}: ${error.message})`)
  )
  const unsubscribe = lab.subscribe((event, data) => send({ event, data }))
  ws.on('close', unsubscribe)
  ws.on('message', (raw, isBinary) => {
    void answer(raw as Buffer, isBinary).catch((error: Error) => {
      log(`serve: a request failed unexpectedly: ${error.stack ?? error.message}`)
      send({ id: -1, ok: false, error: { code: 'internal', message: `The request failed unexpectedly: ${error.message}` } })
    })
  })

  async function answer(raw: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) return send(invalid(-1, 'Requests are JSON in text frames; a binary frame was received.'))
    let frame: unknown
    try {
      frame = JSON.parse(raw.toString('utf8'))
    } catch {
      return send(invalid(-1, 'The message was not valid JSON.'))
    }
    const { id, method, params } = (frame ?? {}) as { id?: unknown; method?: unknown; params?: unknown }
    const validId = typeof id === 'number' && Number.isSafeInteger(id)
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || !validId || typeof method !== 'string') {
      return send(invalid(validId ? id : -1, 'A request needs a numeric "id" and a "method" name.'))
    }
    send({ id, ...(await lab.handle(method, params)) })
  }
}
