import type { Response } from '../api/wire'

export interface IpcRequestEvent {
  senderFrame: { url: string } | null
}

/**
 * The main-process side of the desktop transport: only frames showing our own renderer may call
 * the lab. Kept free of Electron imports so the contract tests can drive it.
 */
export function createIpcRequestHandler(
  handle: (method: unknown, params: unknown) => Promise<Response>,
  isAppUrl: (url: string) => boolean
) {
  return async (event: IpcRequestEvent, method: unknown, params: unknown): Promise<Response> => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Requests are accepted only from the AdvLab window.' } }
    }
    return handle(method, params)
  }
}
