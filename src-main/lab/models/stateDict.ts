/**
 * PyTorch state_dict ⇄ model tensors, stored as safetensors.
 *
 * Names are PyTorch's (bench/reference/models.py; documented in ./README.md). Layouts convert:
 * conv weights OIHW ⇄ HWIO, linear weights [out, in] ⇄ [in, out] — and for a linear layer fed by
 * a flattened feature map, its input rows are permuted between PyTorch's C·H·W and our H·W·C
 * flatten order. BatchNorm running statistics and num_batches_tracked (int64) travel as buffers.
 * The model spec goes into the file's __metadata__ ("advlab.spec") so a file can rebuild its model.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Model } from './model'
import type { TensorDef } from './params'
import { f32Bytes, readSafetensors, toFloat32, writeSafetensors, type SafeTensor } from './safetensors'
import { normaliseSpec, type ModelSpec } from './spec'

export const SPEC_METADATA_KEY = 'advlab.spec'

/** Our layout → PyTorch layout: returns [torchShape, values]. */
export function toTorchLayout(def: TensorDef, values: Float32Array): [number[], Float32Array] {
  const s = def.shape
  if (def.torch.kind === 'conv') {
    const [kh, kw, ci, co] = s
    const out = new Float32Array(values.length)
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = values[((h * kw + w) * ci + i) * co + o]
    return [[co, ci, kh, kw], out]
  }
  if (def.torch.kind === 'linear') {
    const [nin, nout] = s
    const row = linearRowMap(def)
    const out = new Float32Array(values.length)
    for (let r = 0; r < nin; r++) for (let o = 0; o < nout; o++) out[o * nin + row[r]] = values[r * nout + o]
    return [[nout, nin], out]
  }
  return [s, values]
}

/** PyTorch layout → ours. */
export function fromTorchLayout(def: TensorDef, values: Float32Array): Float32Array {
  const s = def.shape
  if (def.torch.kind === 'conv') {
    const [kh, kw, ci, co] = s
    const out = new Float32Array(values.length)
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) out[((h * kw + w) * ci + i) * co + o] = values[((o * ci + i) * kh + h) * kw + w]
    return out
  }
  if (def.torch.kind === 'linear') {
    const [nin, nout] = s
    const row = linearRowMap(def)
    const out = new Float32Array(values.length)
    for (let r = 0; r < nin; r++) for (let o = 0; o < nout; o++) out[r * nout + o] = values[o * nin + row[r]]
    return out
  }
  return values
}

export function torchShape(def: TensorDef): number[] {
  if (def.torch.kind === 'conv') return [def.shape[3], def.shape[2], def.shape[0], def.shape[1]]
  if (def.torch.kind === 'linear') return [def.shape[1], def.shape[0]]
  return def.shape
}

/** For each input row here (H·W·C order), its column in PyTorch's weight (C·H·W order). */
function linearRowMap(def: TensorDef): Int32Array {
  const nin = def.shape[0]
  const map = new Int32Array(nin)
  const from = def.torch.kind === 'linear' ? def.torch.flattenFrom : undefined
  if (!from) {
    for (let i = 0; i < nin; i++) map[i] = i
    return map
  }
  const [h, w, c] = from
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) map[(y * w + x) * c + ch] = (ch * h + y) * w + x
  return map
}

/** The model's weights as a PyTorch state_dict in safetensors bytes (spec in the metadata). */
export function exportStateDict(model: Model): Uint8Array {
  const entries: [string, SafeTensor][] = model.tensors.map(({ name, tensor, def }) => {
    const values = tensor.dataSync() as Float32Array
    const [shape, data] = toTorchLayout(def, values)
    if (def.torchDtype === 'int64') {
      const ints = BigInt64Array.from(data, (v) => BigInt(Math.round(v)))
      return [name, { dtype: 'I64', shape, data: new Uint8Array(ints.buffer) }]
    }
    return [name, { dtype: 'F32', shape, data: f32Bytes(data) }]
  })
  return writeSafetensors(entries, { [SPEC_METADATA_KEY]: JSON.stringify(model.spec), format: 'pt' })
}

/** The spec stored in a file written by exportStateDict, or null for files from elsewhere. */
export function readSpec(bytes: Uint8Array): ModelSpec | null {
  const raw = readSafetensors(bytes).metadata[SPEC_METADATA_KEY]
  return raw ? normaliseSpec(JSON.parse(raw)) : null
}

export interface ImportOptions {
  /** Tensors the file may lack (default: only num_batches_tracked may be missing). */
  allowMissing?: boolean
  source?: string
}

/**
 * Loads a PyTorch state_dict (safetensors) into the model. Every key must match a tensor of the
 * architecture with the right shape; the error names the first key that does not.
 */
export function importStateDict(model: Model, bytes: Uint8Array, options: ImportOptions = {}): void {
  const source = options.source ?? 'weights file'
  const { tensors } = readSafetensors(bytes, source)
  const known = new Set(model.tensors.map((t) => t.name))
  const extra = [...tensors.keys()].filter((k) => !known.has(k))
  if (extra.length > 0)
    throw new Error(
      `${source}: key "${extra[0]}" is not a ${model.spec.arch} tensor${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ''}; see src-main/lab/models/README.md for the expected names`
    )
  const updates: [tf.Variable, tf.Tensor][] = []
  for (const { name, tensor, def } of model.tensors) {
    const t = tensors.get(name)
    if (!t) {
      if (options.allowMissing || name.endsWith('num_batches_tracked')) continue
      throw new Error(`${source}: tensor "${name}" of ${model.spec.arch} is missing`)
    }
    const expected = torchShape(def)
    if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i]))
      throw new Error(
        `${source}: tensor "${name}" has shape [${t.shape.join(', ')}], ${model.spec.arch} at width ${model.spec.width} needs [${expected.join(', ')}]`
      )
    updates.push([tensor, tf.tensor(fromTorchLayout(def, toFloat32(t, name)), def.shape, 'float32')])
  }
  for (const [v, value] of updates) {
    v.assign(value)
    value.dispose()
  }
}
