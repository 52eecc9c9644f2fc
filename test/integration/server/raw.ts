/**
 * Byte-exact HTTP requests and WebSocket frames over node:net, for tests that must send what no
 * well-behaved client library would (bad percent-encoding, unmasked frames, reserved opcodes …).
 * Loopback only: every helper connects to 127.0.0.1.
 */
import net from 'node:net'
import crypto from 'node:crypto'

export interface RawReply {
  /** Everything the server sent before it closed the connection (or before the timeout). */
  bytes: Buffer
  /** True when the server closed or reset the connection; false when the timeout ended the wait. */
  closed: boolean
}

/** Sends `request` as is and collects the reply until the server closes, or `timeoutMs` passes. */
export function rawExchange(port: number, request: Buffer | string, timeoutMs = 2000): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = net.connect(port, '127.0.0.1')
    let done = false
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ bytes: Buffer.concat(chunks), closed })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => finish(true))
    socket.on('close', () => finish(true))
    socket.on('connect', () => socket.write(request))
  })
}

export interface ParsedResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** The first HTTP response in `bytes` (status, lower-cased headers, the bytes after the blank line). */
export function parseResponse(bytes: Buffer): ParsedResponse | null {
  const text = bytes.toString('latin1')
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return null
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
  const match = statusLine.match(/^HTTP\/1\.[01] (\d{3})/)
  if (!match) return null
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(match[1]), headers, body: text.slice(end + 4) }
}

/** A GET (or other method) request line with Host and the token cookie, closed after the answer. */
export function httpRequest(
  port: number,
  target: string,
  options: { method?: string; token?: string; headers?: Record<string, string> } = {}
): string {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...options.headers }
  if (options.token) headers.Cookie = `advlab_token=${options.token}`
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
  return `${options.method ?? 'GET'} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`
}

export interface FrameOptions {
  fin?: boolean
  /** The three reserved bits, as a number 0–7. */
  rsv?: number
  /** Clients must mask every frame; false sends an unmasked one. */
  mask?: boolean
  /** Declares this length in the header instead of the payload's real one. */
  declaredLength?: bigint
}

/** One WebSocket frame, byte for byte (RFC 6455 §5.2). */
export function wsFrame(opcode: number, payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload
  const mask = options.mask ?? true
  const length = options.declaredLength ?? BigInt(data.length)
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (opcode & 0x0f)
  let header: Buffer
  if (length < 126n) {
    header = Buffer.from([first, (mask ? 0x80 : 0) | Number(length)])
  } else if (length < 65536n) {
    header = Buffer.alloc(4)
    header[0] = first
    header[1] = (mask ? 0x80 : 0) | 126
    header.writeUInt16BE(Number(length), 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = first
    header[1] = (mask ? 0x80 : 0) | 127
    header.writeBigUInt64BE(length, 2)
  }
  if (!mask) return Buffer.concat([header, data])
  const key = crypto.randomBytes(4)
  const masked = Buffer.from(data)
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i % 4]
  return Buffer.concat([header, key, masked])
}

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** The upgrade request of a WebSocket handshake on the lab's path, with the token. */
export function wsHandshake(port: number, token: string, headers: Record<string, string> = {}): string {
  return httpRequest(port, `/api?token=${token}`, {
    headers: {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
      ...headers
    }
  })
}

export interface WsOutcome {
  /** The handshake's status (101 when the upgrade was accepted). */
  status: number | null
  /** The close code the server sent in a close frame, if any. */
  closeCode: number | null
  /** The text messages the server sent, in order. */
  messages: string[]
  /** True when the server ended the connection. */
  closed: boolean
}

export interface WsExchangeOptions {
  timeoutMs?: number
  /** Extra handshake headers. */
  headers?: Record<string, string>
  /** Ends the exchange early (the client closes) once the server's messages satisfy this. */
  until?: (messages: string[]) => boolean
}

/**
 * Opens a WebSocket by hand, sends `frames` after the 101, and reports what the server sent back
 * and how it ended the connection: the close code of its close frame, if it sent one.
 */
export function wsExchange(port: number, token: string, frames: Buffer[], options: WsExchangeOptions = {}): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let buffer = Buffer.alloc(0)
    let status: number | null = null
    let done = false
    const outcome = (closed: boolean): WsOutcome => ({ status, closed, ...serverFrames(buffer) })
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome(closed))
    }
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 2000)
    socket.on('error', () => finish(true))
    socket.on('close', () => finish(true))
    socket.on('connect', () => socket.write(wsHandshake(port, token, options.headers)))
    socket.on('data', (chunk) => {
      if (status === null) {
        const text = chunk.toString('latin1')
        const end = text.indexOf('\r\n\r\n')
        status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0)
        if (status !== 101) return finish(true)
        buffer = chunk.subarray(end + 4)
        for (const frame of frames) if (!socket.destroyed) socket.write(frame)
      } else {
        buffer = Buffer.concat([buffer, chunk])
      }
      if (options.until?.(outcome(false).messages)) finish(false)
    })
  })
}

/** The server's (unmasked) frames: its text messages, and the code of its close frame if any. */
function serverFrames(bytes: Buffer): { messages: string[]; closeCode: number | null } {
  const messages: string[] = []
  let offset = 0
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset] & 0x0f
    let length = bytes[offset + 1] & 0x7f
    let start = offset + 2
    if (length === 126) {
      if (offset + 4 > bytes.length) break
      length = bytes.readUInt16BE(offset + 2)
      start += 2
    } else if (length === 127) {
      if (offset + 10 > bytes.length) break
      length = Number(bytes.readBigUInt64BE(offset + 2))
      start += 8
    }
    if (start + length > bytes.length) break
    const payload = bytes.subarray(start, start + length)
    if (opcode === OPCODE.close) return { messages, closeCode: length >= 2 ? payload.readUInt16BE(0) : null }
    if (opcode === OPCODE.text) messages.push(payload.toString('utf8'))
    offset = start + length
  }
  return { messages, closeCode: null }
}
