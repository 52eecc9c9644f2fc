/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header mapping names to {dtype, shape, data_offsets}, then the raw little-endian bytes.
 * Only float32 is written; float32/float64/float16-free reads cover checkpoints and PyTorch exports.
 */
export interface NamedArray {
  shape: number[]
  data: Float32Array
}

export function writeSafetensors(tensors: Map<string, NamedArray>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  for (const [name, { shape, data }] of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] }
    offset += data.byteLength
  }
  let json = JSON.stringify(header)
  // The data section starts 8-byte aligned, as the reference implementation pads with spaces.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)
  const headerBytes = Buffer.from(json, 'utf8')
  const out = new Uint8Array(8 + headerBytes.length + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true)
  out.set(headerBytes, 8)
  let at = 8 + headerBytes.length
  for (const { data } of tensors.values()) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at)
    at += data.byteLength
  }
  return out
}

export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('the file is shorter than a safetensors header')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = Number(view.getBigUint64(0, true))
  if (headerLength > bytes.length - 8) throw new Error(`the header says ${headerLength} bytes, but the file has only ${bytes.length - 8} after it`)
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>
  const base = 8 + headerLength
  const tensors = new Map<string, NamedArray>()
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const [start, end] = entry.data_offsets
    if (end > bytes.length - base || start > end) throw new Error(`tensor "${name}" lies outside the file (truncated?)`)
    const raw = bytes.slice(base + start, base + end)
    const count = entry.shape.reduce((a, b) => a * b, 1)
    let data: Float32Array
    if (entry.dtype === 'F32') data = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
    else if (entry.dtype === 'F64') data = Float32Array.from(new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8))
    else if (entry.dtype === 'I64') data = Float32Array.from(new BigInt64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8), Number)
    else throw new Error(`tensor "${name}" has dtype ${entry.dtype}; AdvLab reads F32, F64 and I64`)
    if (data.length !== count) throw new Error(`tensor "${name}" has ${data.length} values, but its shape [${entry.shape}] needs ${count}`)
    tensors.set(name, { shape: entry.shape, data })
  }
  return { tensors, metadata: (header.__metadata__ as unknown as Record<string, string>) ?? {} }
}
