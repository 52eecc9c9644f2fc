/**
 * The desktop transport: the `window.advlab` bridge exposed by the preload. IPC does not drop
 * like a socket, but a rejected invoke (e.g. the main process failed to answer) still becomes a
 * readable ApiError instead of an exception with a stack.
 */
import type { Transport } from '@api/client'
import type { AdvLabBridge } from './bridge'

export function createBridgeTransport(bridge: AdvLabBridge): Transport {
  return {
    async request(method, params) {
      try {
        return await bridge.request(method, params ?? {})
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        return {
          ok: false,
          error: {
            code: 'unavailable',
            message: `The AdvLab service did not answer "${method}" (${reason}). Restart AdvLab if this keeps happening.`
          }
        }
      }
    },
    onEvent: (listener) => bridge.onEvent(listener)
  }
}
