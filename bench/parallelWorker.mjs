// Worker entry: registers tsx's loader in this thread (hooks are per thread in Node 20), then
// loads the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./parallelWorker.ts')
