import type { IncomingMessage } from 'node:http'

/**
 * What is wrong with a WebSocket upgrade request, in words, or null. The `ws` library refuses the
 * same requests, but with a bare answer; checking first lets ours carry the security headers and
 * a reason. AdvLab's WebSocket takes no sub-protocol and no extension.
 */
export function handshakeProblem(req: IncomingMessage): string | null {
  if (req.method !== 'GET') return `a WebSocket opens with GET, not ${req.method}`
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return 'the Upgrade header must be "websocket"'
  const key = req.headers['sec-websocket-key']
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key.trim())) return 'Sec-WebSocket-Key must be 16 bytes in base64'
  if (req.headers['sec-websocket-version'] !== '13') return 'Sec-WebSocket-Version must be 13'
  if (req.headers['sec-websocket-protocol'] !== undefined) return "the lab's WebSocket takes no sub-protocol (Sec-WebSocket-Protocol)"
  return null
}
