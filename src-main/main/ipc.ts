import type { Response } from '../api/wire'
import type { Substituted } from './path-requests'

export interface IpcRequestEvent {
  senderFrame: { url: string } | null
}

/**
 * The main-process side of the desktop transport: only frames showing our own renderer may call
 * the lab, and (in the app) every path field is first replaced by the main process (see
 * path-requests.ts). Kept free of Electron imports so the contract tests can drive it.
 */
export function createIpcRequestHandler(
  handle: (method: unknown, params: unknown) => Promise<Response>,
  isAppUrl: (url: string) => boolean,
  substitutePaths?: (method: unknown, params: unknown) => Promise<Substituted>
) {
  return async (event: IpcRequestEvent, method: unknown, params: unknown): Promise<Response> => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Requests are accepted only from the AdvLab window.' } }
    }
    if (!substitutePaths) return handle(method, params)
    const substituted = await substitutePaths(method, params)
    return substituted.ok ? handle(method, substituted.params) : { ok: false, error: substituted.error }
  }
}
