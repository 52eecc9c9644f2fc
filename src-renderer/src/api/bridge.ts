/**
 * The shape of `window.advlab`, the one object the preload exposes (src-main/preload/index.ts).
 * Declared here as a type only, so the renderer never imports preload or Electron code.
 */
import type { Response } from '@api/wire'

export interface AdvLabBridge {
  request(method: string, params: unknown): Promise<Response>
  onEvent(listener: (name: string, data: unknown) => void): () => void
}

declare global {
  interface Window {
    advlab?: AdvLabBridge
  }
}
