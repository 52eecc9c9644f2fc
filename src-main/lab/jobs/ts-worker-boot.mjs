// Worker threads started from the TypeScript sources (CLI, serve mode, tests) load their entry
// through tsx; the desktop build bundles the entry as plain JavaScript instead.
import { register } from 'tsx/esm/api'
import { workerData } from 'node:worker_threads'

register()
await import(workerData.entry)
