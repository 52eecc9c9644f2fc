import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type Response } from '../api/wire'

/** What the preload exposes as `window.advlab`: contract requests and events, nothing else. */
export interface AdvLabBridge {
  request(method: string, params: unknown): Promise<Response>
  onEvent(listener: (name: string, data: unknown) => void): () => void
}

/** The part of Electron's ipcRenderer the bridge uses (so tests can supply their own). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function createBridge(ipc: IpcRendererLike): AdvLabBridge {
  return {
    request: (method, params) => ipc.invoke(IPC_REQUEST_CHANNEL, method, params) as Promise<Response>,
    onEvent(listener) {
      const wrapped = (_event: unknown, ...args: unknown[]) => listener(args[0] as string, args[1])
      ipc.on(IPC_EVENT_CHANNEL, wrapped)
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, wrapped)
      }
    }
  }
}
