/**
 * Brings the engine up in this process (or worker): picks the backend, registers tfjs's gradient
 * definitions (the core package does not do it by itself) and, on wasm, the missing gradient kernels.
 */
import { registerGradients } from './gradients'
import type { BackendInfo } from '../../api/status'
import { selectBackend } from './backend'
import { registerWasmGradients } from './wasmGradients'

let ready: Promise<BackendInfo> | null = null

/** Idempotent: later calls return the first call's result. */
export function initEngine(preferred: string | undefined = process.env.ADVLAB_BACKEND): Promise<BackendInfo> {
  ready ??= selectBackend(preferred).then((info) => {
    registerGradients()
    registerWasmGradients()
    return info
  })
  return ready
}
