import { resolve } from 'node:path'

/**
 * The worker threads' entry files, bundled beside every Node-side build (the desktop main bundle
 * and the CLI/serve bundle) because workers load them by file name (src-main/lab/jobs/worker-url.ts).
 */
export const WORKER_ENTRIES = {
  'worker-entry': resolve(import.meta.dirname, 'src-main/lab/jobs/worker-entry.ts'),
  'probe-entry': resolve(import.meta.dirname, 'src-main/lab/jobs/probe-entry.ts'),
  'shard-worker': resolve(import.meta.dirname, 'src-main/lab/eval/shard-worker.ts'),
  'replica-worker': resolve(import.meta.dirname, 'src-main/lab/train/parallel/replica-worker.ts')
}
