/**
 * The window's one API client. `installApi` is called once at start-up (main.ts) with the chosen
 * transport; stores call `request`, which reports every failure to the global error surface unless
 * the caller shows it in place (a form under its field).
 */
import { createApiClient, type ApiClient, type Transport } from '@api/client'
import type { ApiError } from '@api/errors'
import type { EventData, EventName, Params, RequestName, Result } from '@api/contract'
import { apiErrorOf } from './errors'

type FailureListener = (method: string, error: ApiError) => void

let client: ApiClient | null = null
const failureListeners = new Set<FailureListener>()

export function installApi(transport: Transport): ApiClient {
  client = createApiClient(transport)
  return client
}

function current(): ApiClient {
  if (!client) throw new Error('installApi() must run before the first request')
  return client
}

export interface RequestOptions {
  /** The caller shows the error itself (e.g. next to a form field); no toast. */
  inPlace?: boolean
}

export async function request<N extends RequestName>(method: N, params: Params<N>, options: RequestOptions = {}): Promise<Result<N>> {
  try {
    return await current().request(method, params)
  } catch (error) {
    const apiError = apiErrorOf(error)
    if (!options.inPlace) for (const listener of [...failureListeners]) listener(method, apiError)
    throw error
  }
}

export function onEvent<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
  return current().on(event, listener)
}

/** Every request failure the caller did not handle in place. */
export function onRequestFailure(listener: FailureListener): () => void {
  failureListeners.add(listener)
  return () => failureListeners.delete(listener)
}
