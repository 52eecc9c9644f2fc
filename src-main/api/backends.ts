/** The engine backends, best first: CUDA, native CPU, WebAssembly, plain JavaScript. */
export const BACKEND_CHOICES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendChoice = (typeof BACKEND_CHOICES)[number]
