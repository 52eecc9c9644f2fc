/**
 * The parts of the renderer modules these tests use, stated as types (see loadRenderer.ts for why
 * the tests do not import the renderer's own declarations). Contract types come from src-main/api.
 */
import type { Transport } from '@api/client'
import type { ApiError } from '@api/errors'
import type { Project } from '@api/projects'
import type { Status } from '@api/status'
import type { Response } from '@api/wire'

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'
export type ConnectionListener = (state: ConnectionState) => void

export interface ConnectionSource {
  state(): ConnectionState
  onStateChange(listener: ConnectionListener): () => void
}

export interface WebSocketTransport extends Transport {
  readonly state: ConnectionState
  onStateChange(listener: ConnectionListener): () => void
  close(): void
  request(method: string, params: unknown): Promise<Response>
}

export interface WebSocketTransportModule {
  createWebSocketTransport(options: {
    url: string
    createSocket?: (url: string) => unknown
    requestTimeoutMs?: number
    initialBackoffMs?: number
    maxBackoffMs?: number
  }): WebSocketTransport
}

export interface ApiModule {
  installApi(transport: Transport): unknown
  request(method: string, params: unknown, options?: { inPlace?: boolean }): Promise<unknown>
}

export interface StoresModule {
  useProjectsStore(): {
    projects: Project[]
    load(): Promise<void>
    create(name: string): Promise<Project>
    rename(id: number, name: string): Promise<Project>
  }
  useStatusStore(): { status: Status | null; error: ApiError | null; load(): Promise<void> }
  useNoticesStore(): { notices: { kind: string; method?: string; error?: ApiError }[] }
  useConnectionStore(): { state: ConnectionState; recovered: boolean; update(state: ConnectionState): void }
  keepStoresLive(connection: ConnectionSource): () => void
}

/** Loads every store module the store tests use, as one object. */
export async function loadStores(load: <T>(path: string) => Promise<T>): Promise<StoresModule> {
  const [projects, status, notices, connection, live] = await Promise.all([
    load<Pick<StoresModule, 'useProjectsStore'>>('stores/projects'),
    load<Pick<StoresModule, 'useStatusStore'>>('stores/status'),
    load<Pick<StoresModule, 'useNoticesStore'>>('stores/notices'),
    load<Pick<StoresModule, 'useConnectionStore'>>('stores/connection'),
    load<Pick<StoresModule, 'keepStoresLive'>>('stores/live')
  ])
  return { ...projects, ...status, ...notices, ...connection, ...live }
}
