/**
 * Picks how this window talks to the lab: the preload's bridge in the desktop app, otherwise the
 * WebSocket of serve mode on the same host that served the page.
 */
import { WS_PATH } from '@api/wire'
import type { Transport } from '@api/client'
import type { AdvLabBridge } from './bridge'
import { createBridgeTransport } from './bridgeTransport'
import { createWebSocketTransport } from './websocketTransport'
import type { ConnectionListener, ConnectionState } from './connectionState'

export interface ChosenTransport {
  kind: 'desktop' | 'serve'
  transport: Transport
  state(): ConnectionState
  onStateChange(listener: ConnectionListener): () => void
}

interface WindowLike {
  advlab?: AdvLabBridge
  location: { protocol: string; host: string; search: string }
}

export function chooseTransport(win: WindowLike): ChosenTransport {
  if (win.advlab) {
    return {
      kind: 'desktop',
      transport: createBridgeTransport(win.advlab),
      state: () => 'open',
      onStateChange: () => () => {}
    }
  }
  const ws = createWebSocketTransport({ url: serviceSocketUrl(win.location) })
  return { kind: 'serve', transport: ws, state: () => ws.state, onStateChange: (l) => ws.onStateChange(l) }
}

/**
 * `ws://<host>/api`, carrying the page's `?token=` when there is one. The server also accepts the
 * cookie it set with the page, but the explicit token keeps working where cookies are blocked.
 */
export function serviceSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const token = new URLSearchParams(location.search).get('token')
  return `${scheme}://${location.host}${WS_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`
}
