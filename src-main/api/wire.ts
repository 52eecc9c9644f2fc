/**
 * What travels over a transport. Both Electron IPC and the WebSocket carry exactly these shapes,
 * so a client is the same code whichever transport it sits on.
 */
import type { ApiError } from './errors'

export type Response<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError }

/** Client → service over WebSocket. */
export interface RequestFrame {
  id: number
  method: string
  params: unknown
}

/** Service → client over WebSocket: an answer to one request, or an event. */
export type ServerFrame = ({ id: number } & Response) | { event: string; data: unknown }

export const IPC_REQUEST_CHANNEL = 'advlab:request'
export const IPC_EVENT_CHANNEL = 'advlab:event'
export const WS_PATH = '/api'
