/**
 * Checkpoints of a run: the model's state, the optimizer's state and where the loop stood, in one
 * safetensors file per save. Written atomically (temporary file, fsync, rename), so a kill at any
 * moment leaves either the previous checkpoint or the new one — never half of one. The two most
 * recent are kept per phase.
 */
import fs from 'node:fs'
import path from 'node:path'
import type * as tf from '@tensorflow/tfjs-core'
import { f32Bytes, readSafetensors, toFloat32, writeSafetensors, type SafeTensor } from '../models/safetensors'

export interface CheckpointMeta {
  /** Optimizer steps done in this phase. */
  step: number
  /** Steps of the whole run (metric x-axis), for resuming the log. */
  globalStep: number
  epochCorrect: number
  epochSeen: number
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta
  tensors: Map<string, Float32Array>
  file: string
}

export class CheckpointStore {
  constructor(
    readonly dir: string,
    private readonly onSaved: (file: string) => Promise<void> = async () => {}
  ) {}

  async save(phase: string, tensors: Map<string, tf.Tensor>, meta: CheckpointMeta): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true })
    const file = path.join(this.dir, `${phase}-step${String(meta.globalStep).padStart(8, '0')}.safetensors`)
    const values = new Map<string, SafeTensor>()
    for (const [name, tensor] of tensors)
      values.set(name, { dtype: 'F32', shape: tensor.shape, data: f32Bytes(Float32Array.from(await tensor.data())) })
    const bytes = writeSafetensors(values, { advlab: JSON.stringify({ phase, ...meta }) })
    writeAtomically(file, bytes)
    for (const old of this.files(phase).slice(0, -2)) fs.rmSync(old, { force: true })
    await this.onSaved(file)
    return file
  }

  /** The newest readable checkpoint of a phase; a damaged newest one falls back to the one before. */
  latest(phase: string): LoadedCheckpoint | null {
    for (const file of this.files(phase).reverse()) {
      try {
        const { tensors, metadata } = readSafetensors(fs.readFileSync(file), file)
        const meta = JSON.parse(metadata.advlab ?? 'null') as (CheckpointMeta & { phase: string }) | null
        if (meta && meta.phase === phase) return { meta, tensors: new Map([...tensors].map(([k, v]) => [k, toFloat32(v, k)])), file }
      } catch {
        // A checkpoint that does not parse is skipped; the previous one is still good.
      }
    }
    return null
  }

  private files(phase: string): string[] {
    if (!fs.existsSync(this.dir)) return []
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.startsWith(`${phase}-step`) && f.endsWith('.safetensors'))
      .sort()
      .map((f) => path.join(this.dir, f))
  }
}

export function writeAtomically(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.tmp-${process.pid}`
  const fd = fs.openSync(temporary, 'w')
  try {
    fs.writeSync(fd, bytes)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temporary, file)
  const dirFd = fs.openSync(path.dirname(file), 'r')
  try {
    fs.fsyncSync(dirFd)
  } finally {
    fs.closeSync(dirFd)
  }
}
