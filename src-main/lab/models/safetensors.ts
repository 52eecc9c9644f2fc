/**
 * A small reader/writer for the safetensors format (huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__"?: {string: string}}, then the raw little-endian tensor bytes.
 */
export type SafeDtype = 'F32' | 'F64' | 'F16' | 'I64' | 'I32' | 'U8' | 'BOOL'

export interface SafeTensor {
  dtype: SafeDtype
  shape: number[]
  /** Raw little-endian bytes of the tensor (a view into the file buffer when read). */
  data: Uint8Array
}

export interface SafeFile {
  tensors: Map<string, SafeTensor>
  metadata: Record<string, string>
}

const BYTES: Record<SafeDtype, number> = { F32: 4, F64: 8, F16: 2, I64: 8, I32: 4, U8: 1, BOOL: 1 }

export function writeSafetensors(
  tensors: Map<string, SafeTensor> | [string, SafeTensor][],
  metadata: Record<string, string> = {}
): Uint8Array {
  const entries = [...tensors]
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata
  let offset = 0
  for (const [name, t] of entries) {
    const expected = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype]
    if (t.data.byteLength !== expected)
      throw new Error(`tensor "${name}" has ${t.data.byteLength} bytes; shape ${JSON.stringify(t.shape)} of ${t.dtype} needs ${expected}`)
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] }
    offset += expected
  }
  let json = JSON.stringify(header)
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)
  const headerBytes = new TextEncoder().encode(json)
  const out = new Uint8Array(8 + headerBytes.length + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true)
  out.set(headerBytes, 8)
  let pos = 8 + headerBytes.length
  for (const [, t] of entries) {
    out.set(t.data, pos)
    pos += t.data.byteLength
  }
  return out
}

export function readSafetensors(bytes: Uint8Array, source = 'safetensors file'): SafeFile {
  if (bytes.byteLength < 8) throw new Error(`${source} is too short to be safetensors (${bytes.byteLength} bytes)`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = Number(view.getBigUint64(0, true))
  if (headerLength > bytes.byteLength - 8)
    throw new Error(`${source}: header length ${headerLength} exceeds the file size; not a safetensors file?`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)))
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message})`)
  }
  const dataStart = 8 + headerLength
  const tensors = new Map<string, SafeTensor>()
  let metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>
      continue
    }
    const v = value as { dtype: SafeDtype; shape: number[]; data_offsets: [number, number] }
    if (!(v.dtype in BYTES)) throw new Error(`${source}: tensor "${name}" has unsupported dtype ${v.dtype}`)
    const [begin, end] = v.data_offsets
    const expected = v.shape.reduce((a, b) => a * b, 1) * BYTES[v.dtype]
    if (end - begin !== expected || dataStart + end > bytes.byteLength)
      throw new Error(
        `${source}: tensor "${name}" offsets [${begin}, ${end}] do not match shape ${JSON.stringify(v.shape)} ${v.dtype} or the file size`
      )
    tensors.set(name, { dtype: v.dtype, shape: v.shape, data: bytes.subarray(dataStart + begin, dataStart + end) })
  }
  return { tensors, metadata }
}

/** Little-endian bytes of a float32 array (copy-free on little-endian hosts). */
export function f32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
}

/** Any numeric safetensors tensor as float32 values. */
export function toFloat32(t: SafeTensor, name: string): Float32Array {
  const aligned = t.data.byteOffset % 8 === 0 ? t.data : t.data.slice()
  const buf = aligned.buffer
  const off = aligned.byteOffset
  const n = t.shape.reduce((a, b) => a * b, 1)
  switch (t.dtype) {
    case 'F32':
      return new Float32Array(buf.slice(off, off + n * 4))
    case 'F64':
      return Float32Array.from(new Float64Array(buf, off, n))
    case 'I64':
      return Float32Array.from(new BigInt64Array(buf, off, n), (v) => Number(v))
    case 'I32':
      return Float32Array.from(new Int32Array(buf, off, n))
    case 'U8':
    case 'BOOL':
      return Float32Array.from(new Uint8Array(buf, off, n))
    case 'F16':
      return Float32Array.from(new Uint16Array(buf, off, n), halfToFloat)
  }
  throw new Error(`tensor "${name}" has unsupported dtype ${t.dtype}`)
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024)
  if (exp === 31) return frac ? NaN : sign * Infinity
  return sign * 2 ** (exp - 15) * (1 + frac / 1024)
}
