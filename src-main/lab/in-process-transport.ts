import type { Transport } from '../api/client'
import type { EventListener } from './event-hub'

/** What the transport needs of the lab service (kept structural so the service can use it too). */
export interface RequestHandler {
  handle(method: unknown, params: unknown): ReturnType<Transport['request']>
  subscribe(listener: EventListener): () => void
}

/** The transport of the CLI, of the tests and of the lab's own work: the lab service in the same process. */
export function inProcessTransport(lab: RequestHandler): Transport {
  return {
    request: (method, params) => lab.handle(method, structuredClone(params)),
    onEvent: (listener) => lab.subscribe(listener)
  }
}
