/**
 * The two real transports of the contract, as test clients:
 * - desktop: the preload bridge and the main-process IPC handler, joined by an in-memory channel
 *   that structured-clones every message as Electron's IPC does;
 * - serve: a WebSocket to the real serve-mode server.
 */
import WebSocket from 'ws'
import type { Transport } from '../../src-main/api/client'
import type { Response, ServerFrame } from '../../src-main/api/wire'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../src-main/api/wire'
import { createBridge, type IpcRendererLike } from '../../src-main/preload/bridge'
import { createIpcRequestHandler } from '../../src-main/main/ipc'
import { APP_INDEX_URL, isAppUrl } from '../../src-main/main/app-url'
import type { LabService } from '../../src-main/lab/service'
import type { RunningServer } from '../../src-main/server/server'

export function desktopTransport(lab: LabService, senderUrl = APP_INDEX_URL): Transport & { close(): void } {
  // The main process's own sender check, so the tests see what the desktop app enforces.
  const handler = createIpcRequestHandler((m, p) => lab.handle(m, p), isAppUrl)
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
  const ipc: IpcRendererLike = {
    async invoke(channel, ...args) {
      if (channel !== IPC_REQUEST_CHANNEL) throw new Error(`No handler registered for '${channel}'`)
      const [method, params] = structuredClone(args)
      return structuredClone(await handler({ senderFrame: { url: senderUrl } }, method, params))
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(listener)
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
    }
  }
  const unsubscribe = lab.subscribe((name, data) => {
    for (const l of listeners.get(IPC_EVENT_CHANNEL) ?? []) l({}, structuredClone(name), structuredClone(data))
  })
  const bridge = createBridge(ipc)
  return { request: bridge.request, onEvent: bridge.onEvent, close: unsubscribe }
}

export async function websocketTransport(server: RunningServer): Promise<Transport & { close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 1
  const pending = new Map<number, (response: Response) => void>()
  const listeners = new Set<(name: string, data: unknown) => void>()
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as ServerFrame
    if ('event' in frame) for (const l of listeners) l(frame.event, frame.data)
    else {
      const { id, ...response } = frame
      pending.get(id)?.(response as Response)
      pending.delete(id)
    }
  })
  return {
    request(method, params) {
      const id = nextId++
      return new Promise<Response>((resolve) => {
        pending.set(id, resolve)
        ws.send(JSON.stringify({ id, method, params }))
      })
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => ws.close()
  }
}
