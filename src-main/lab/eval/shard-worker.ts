/**
 * A shard worker of an evaluation job: brings the engine up once, then runs the attack tasks it is
 * sent on its share of the samples (run-task.ts), reporting progress as it goes.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { initEngine } from '../engine/init'
import { LabError } from '../../api/errors'
import { runTask, TargetCache } from './run-task'
import type { FromShard, ToShard } from './shard-messages'

const port = parentPort!
const post = (m: FromShard) => port.postMessage(m)
const cache = new TargetCache()
let cancelled = false

await initEngine((workerData as { backend: string }).backend)
port.on('message', (message: ToShard) => {
  if (message.type === 'cancel') {
    cancelled = true
    return
  }
  const { task } = message
  runTask(
    cache,
    task,
    (done) => post({ type: 'progress', id: task.id, done }),
    () => cancelled
  )
    .then((outcome) => post({ type: 'result', id: task.id, outcome }))
    .catch((error: unknown) =>
      post({
        type: 'error',
        id: task.id,
        message: (error as Error)?.message ?? String(error),
        ...(error instanceof LabError ? { code: error.code, field: error.field } : {})
      })
    )
})
post({ type: 'ready' })
