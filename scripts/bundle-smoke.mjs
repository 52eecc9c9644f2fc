// The desktop build's worker bundles (out/main/*.js), started as the app starts them but in plain
// Node: each must load its dependencies and bring the engine up. `npm test` runs this after the
// build, so a bundling mistake (a missing entry, an unresolvable wasm file) fails the build stage.
import { Worker } from 'node:worker_threads'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The desktop build's folder, or another build's given as the argument (the CLI's: test/unit/cli).
const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main')
const spec = { arch: 'cnn-small', inputShape: [8, 8, 1], numClasses: 10, width: 0.25, mean: [0.5], std: [0.25], seed: 1 }

const checks = [
  {
    file: 'probe-entry.js',
    workerData: {
      request: { backend: 'wasm', model: { arch: 'cnn-small', width: 0.25 }, inputShape: [8, 8, 1], numClasses: 10, batchSize: 4 }
    },
    ok: (m) => m.ok === true && m.result.secondsPerTrainStep > 0
  },
  { file: 'shard-worker.js', workerData: { backend: 'wasm' }, ok: (m) => m.type === 'ready' },
  {
    file: 'replica-worker.js',
    workerData: { backend: 'wasm', recipe: { spec, seed: 0, objective: { kind: 'cross-entropy', temperature: 1, labelSmoothing: 0 } } },
    ok: (m) => m.type === 'ready'
  },
  {
    // A job kind the app does not have: the job worker must load, then say so.
    file: 'worker-entry.js',
    workerData: { spec: { runId: 1, kind: 'no-such-job', config: {}, seed: 0, dataDir: out, resume: false, backend: 'wasm', inputs: {} } },
    ok: (m) => m.type === 'failed' && m.error.includes('does not know how to run')
  }
]

let failed = 0
for (const check of checks) {
  const worker = new Worker(path.join(out, check.file), { workerData: check.workerData })
  const message = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'no message within 60 s' }), 60_000)
    worker.once('message', (m) => (clearTimeout(timer), resolve(m)))
    worker.once('error', (e) => (clearTimeout(timer), resolve({ error: e.message })))
  })
  await worker.terminate()
  const good = check.ok(message)
  if (!good) failed++
  console.log(`${good ? 'ok  ' : 'FAIL'} ${check.file}: ${JSON.stringify(message).slice(0, 160)}`)
}
process.exit(failed ? 1 : 0)
