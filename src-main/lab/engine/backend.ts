/**
 * Choosing the engine backend. Candidates are tried best first; each must load *and* compute a
 * tiny smoke op correctly before it is chosen, so a half-installed native binding falls through
 * to the next one instead of failing mid-run. Why each candidate was skipped is kept for the
 * status screen.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import type { BackendInfo } from '../../api/status'
import { BACKEND_CHOICES } from '../../api/backends'

const nodeRequire = createRequire(import.meta.url)

/** One list of backends, shared with the contract (settings, status). */
export const BACKEND_NAMES = BACKEND_CHOICES
export type BackendName = (typeof BACKEND_NAMES)[number]

interface Candidate {
  name: BackendName
  /** The name tfjs registers the backend under. */
  tfName: string
  device: string
  load: () => Promise<void>
}

const candidates: Candidate[] = [
  {
    name: 'tensorflow-gpu',
    tfName: 'tensorflow',
    device: 'NVIDIA GPU (CUDA, libtensorflow)',
    load: async () => {
      nodeRequire('@tensorflow/tfjs-node-gpu')
    }
  },
  {
    name: 'tensorflow',
    tfName: 'tensorflow',
    device: 'CPU (native libtensorflow)',
    load: async () => {
      nodeRequire('@tensorflow/tfjs-node')
    }
  },
  {
    name: 'wasm',
    tfName: 'wasm',
    device: 'CPU (WebAssembly SIMD, one thread per worker)',
    load: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm')
      const dist = path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))
      wasm.setWasmPaths(dist + path.sep)
    }
  },
  {
    name: 'cpu',
    tfName: 'cpu',
    device: 'CPU (plain JavaScript, slow: a numerical reference)',
    load: async () => {
      await import('@tensorflow/tfjs-backend-cpu')
    }
  }
]

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name)
}

/**
 * Picks the first candidate that loads and passes the smoke op. `preferred` (a setting or
 * ADVLAB_BACKEND) is tried first; if it fails, the normal order follows and the reason is kept.
 */
export async function selectBackend(preferred: string | undefined = process.env.ADVLAB_BACKEND): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = []
  let order = candidates
  if (preferred) {
    const first = candidates.find((c) => c.name === preferred)
    if (first) order = [first, ...candidates.filter((c) => c !== first)]
    else skipped.push({ name: preferred, reason: `unknown backend "${preferred}"; expected one of ${BACKEND_NAMES.join(', ')}` })
  }
  for (const candidate of order) {
    const reason = await tryCandidate(candidate)
    if (reason === null) return { name: candidate.name, device: candidate.device, skipped, tfjsVersion: tf.version_core }
    skipped.push({ name: candidate.name, reason })
  }
  throw new Error(`No engine backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`)
}

async function tryCandidate(candidate: Candidate): Promise<string | null> {
  try {
    await candidate.load()
  } catch (error) {
    return `not installed or failed to load (${firstLine(error)})`
  }
  try {
    if (!(await tf.setBackend(candidate.tfName))) return 'failed to initialise'
    // The cpu backend greets every Node process with advice to install tfjs-node; the status
    // screen already says which backend runs and why the others were skipped.
    const backend = tf.backend() as { firstUse?: boolean }
    if ('firstUse' in backend) backend.firstUse = false
    await tf.ready()
    return smokeTest()
  } catch (error) {
    return `failed its smoke test (${firstLine(error)})`
  }
}

/** A 2×2 matrix product whose answer is known exactly. */
function smokeTest(): string | null {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])))
  const values = Array.from(product.dataSync())
  product.dispose()
  const expected = [19, 22, 43, 50]
  return values.every((v, i) => v === expected[i]) ? null : `smoke op returned ${values.join(',')}, expected ${expected.join(',')}`
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]
}
