/**
 * The typed client every caller uses. A transport only has to move a (method, params) pair to the
 * service and bring back a Response; this turns that into typed calls that throw ApiCallError.
 */
import type { ApiError } from './errors'
import type { EventData, EventName, Params, RequestName, Result } from './contract'
import type { Response } from './wire'

export interface Transport {
  request(method: string, params: unknown): Promise<Response>
  /** Subscribes to every event; returns the function that unsubscribes. */
  onEvent(listener: (name: string, data: unknown) => void): () => void
}

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
    this.name = 'ApiCallError'
  }
  get code() {
    return this.error.code
  }
  get field() {
    return this.error.field
  }
}

export interface ApiClient {
  request<N extends RequestName>(method: N, params: Params<N>): Promise<Result<N>>
  /** Like request, but hands back the raw Response instead of throwing. */
  call(method: string, params: unknown): Promise<Response>
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async request(method, params) {
      const response = await transport.request(method, params)
      if (!response.ok) throw new ApiCallError(response.error)
      return response.result as never
    },
    call: (method, params) => transport.request(method, params),
    on(event, listener) {
      return transport.onEvent((name, data) => {
        if (name === event) listener(data as never)
      })
    }
  }
}
