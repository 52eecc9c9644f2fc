/**
 * A minimal reader for Python pickles (protocols 2–4), enough for the CIFAR "python version" files
 * without running Python. It builds plain values and recognises the few callables those files use
 * (numpy arrays, numpy dtypes, `_codecs.encode`); it never executes anything.
 *
 * Python 2 `str` (what the CIFAR files were written with) becomes PyBytes: its bytes, untouched.
 * Opcode meanings follow CPython's Lib/pickletools.py.
 */

export class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
  /** Byte-for-byte text (latin-1), for dictionary keys and names. */
  text(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1')
  }
}

export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string
  ) {}
  get qualified() {
    return `${this.module}.${this.name}`
  }
}

/** Any object we do not interpret: its class and constructor arguments, kept for messages. */
export class PyObject {
  state: unknown = undefined
  constructor(
    readonly cls: PyGlobal,
    readonly args: unknown[]
  ) {}
}

export class NdArray {
  shape: number[] = []
  dtype = ''
  fortranOrder = false
  data: Uint8Array = new Uint8Array(0)
}

class Dtype {
  constructor(readonly descr: string) {}
}

export class UnpickleError extends Error {}

const RECONSTRUCT = new Set(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct'])

export function unpickle(input: Uint8Array): unknown {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  let pos = 0
  const stack: unknown[] = []
  const marks: number[] = []
  const memo = new Map<number, unknown>()

  const need = (n: number) => {
    if (pos + n > buf.length) throw new UnpickleError(`the pickle ends early, after ${buf.length} bytes (truncated)`)
  }
  const u8 = () => (need(1), buf[pos++])
  const u16 = () => (need(2), (pos += 2), buf.readUInt16LE(pos - 2))
  const i32 = () => (need(4), (pos += 4), buf.readInt32LE(pos - 4))
  const u64 = () => {
    need(8)
    const v = buf.readBigUInt64LE(pos)
    pos += 8
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnpickleError('a length in the pickle is too large')
    return Number(v)
  }
  const bytes = (n: number) => {
    if (n < 0) throw new UnpickleError('a negative length in the pickle')
    need(n)
    pos += n
    return buf.subarray(pos - n, pos)
  }
  const line = () => {
    const end = buf.indexOf(0x0a, pos)
    if (end < 0) throw new UnpickleError('the pickle ends inside a name')
    const text = buf.toString('latin1', pos, end)
    pos = end + 1
    return text
  }
  const pop = () => {
    if (stack.length === 0) throw new UnpickleError('the pickle pops from an empty stack')
    return stack.pop()
  }
  const popMark = () => {
    const mark = marks.pop()
    if (mark === undefined) throw new UnpickleError('the pickle has no mark where one is needed')
    return stack.splice(mark)
  }
  const top = () => stack[stack.length - 1]
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) throw new UnpickleError('the pickle sets items on something that is not a dict')
    for (let i = 0; i + 1 < items.length; i += 2) dict.set(dictKey(items[i]), items[i + 1])
  }

  for (;;) {
    const op = u8()
    switch (op) {
      case 0x80: u8(); break // PROTO
      case 0x95: u64(); break // FRAME: framing only matters for streaming readers
      case 0x7d: stack.push(new Map()); break // EMPTY_DICT }
      case 0x5d: stack.push([]); break // EMPTY_LIST ]
      case 0x29: stack.push([]); break // EMPTY_TUPLE )
      case 0x28: marks.push(stack.length); break // MARK (
      case 0x75: { const items = popMark(); setItems(top(), items); break } // SETITEMS u
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break } // SETITEM s
      case 0x65: { const items = popMark(); (top() as unknown[]).push(...items); break } // APPENDS e
      case 0x61: { const v = pop(); (top() as unknown[]).push(v); break } // APPEND a
      case 0x74: stack.push(popMark()); break // TUPLE t
      case 0x85: stack.push([pop()]); break // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break } // TUPLE3
      case 0x55: stack.push(new PyBytes(bytes(u8()))); break // SHORT_BINSTRING U (Python 2 str)
      case 0x54: stack.push(new PyBytes(bytes(i32()))); break // BINSTRING T
      case 0x43: stack.push(new PyBytes(bytes(u8()))); break // SHORT_BINBYTES C
      case 0x42: stack.push(new PyBytes(bytes(i32()))); break // BINBYTES B
      case 0x8e: stack.push(new PyBytes(bytes(u64()))); break // BINBYTES8
      case 0x8c: stack.push(bytes(u8()).toString('utf8')); break // SHORT_BINUNICODE
      case 0x58: stack.push(bytes(i32()).toString('utf8')); break // BINUNICODE X
      case 0x8d: stack.push(bytes(u64()).toString('utf8')); break // BINUNICODE8
      case 0x4b: stack.push(u8()); break // BININT1 K
      case 0x4d: stack.push(u16()); break // BININT2 M
      case 0x4a: stack.push(i32()); break // BININT J
      case 0x8a: stack.push(readLong(bytes(u8()))); break // LONG1
      case 0x47: need(8); stack.push(buf.readDoubleBE(pos)); pos += 8; break // BINFLOAT G
      case 0x4e: stack.push(null); break // NONE N
      case 0x88: stack.push(true); break // NEWTRUE
      case 0x89: stack.push(false); break // NEWFALSE
      case 0x71: memo.set(u8(), top()); break // BINPUT q
      case 0x72: memo.set(i32(), top()); break // LONG_BINPUT r
      case 0x94: memo.set(memo.size, top()); break // MEMOIZE
      case 0x68: stack.push(fromMemo(memo, u8())); break // BINGET h
      case 0x6a: stack.push(fromMemo(memo, i32())); break // LONG_BINGET j
      case 0x63: { const module = line(); stack.push(new PyGlobal(module, line())); break } // GLOBAL c
      case 0x93: { const name = pop(); const module = pop(); stack.push(new PyGlobal(String(module), String(name))); break } // STACK_GLOBAL
      case 0x52: { const args = pop() as unknown[]; stack.push(call(pop(), args)); break } // REDUCE R
      case 0x81: { const args = pop() as unknown[]; stack.push(call(pop(), args)); break } // NEWOBJ
      case 0x62: { const state = pop(); build(top(), state); break } // BUILD b
      case 0x2e: return pop() // STOP .
      default:
        throw new UnpickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}`)
    }
  }
}

function fromMemo(memo: Map<number, unknown>, key: number): unknown {
  if (!memo.has(key)) throw new UnpickleError(`the pickle refers to memo entry ${key}, which was never stored`)
  return memo.get(key)
}

function readLong(bytes: Buffer): number {
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i])
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length)
  return Number(value)
}

/** Dictionary keys become JS strings whether they were written as Python 2 str or unicode. */
function dictKey(key: unknown): unknown {
  return key instanceof PyBytes ? key.text() : key
}

function call(callable: unknown, args: unknown[]): unknown {
  if (!(callable instanceof PyGlobal)) throw new UnpickleError('the pickle calls something that is not a class or function')
  if (RECONSTRUCT.has(callable.qualified)) return new NdArray()
  if (callable.qualified === 'numpy.dtype') return new Dtype(textOf(args[0]))
  // Python 3 writes bytes as _codecs.encode(text, 'latin1') under protocol 2.
  if (callable.qualified === '_codecs.encode' && typeof args[0] === 'string')
    return new PyBytes(Buffer.from(args[0], (textOf(args[1]) || 'latin1') === 'latin1' ? 'latin1' : 'utf8'))
  return new PyObject(callable, args)
}

function build(target: unknown, state: unknown): void {
  if (target instanceof NdArray) {
    // ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata)
    const parts = state as unknown[]
    const [shape, dtype, fortran, raw] = parts.length === 5 ? parts.slice(1) : parts
    target.shape = (shape as number[]).map(Number)
    target.dtype = dtype instanceof Dtype ? dtype.descr : String(dtype)
    target.fortranOrder = Boolean(fortran)
    if (raw instanceof PyBytes) target.data = raw.bytes
    else if (typeof raw === 'string') target.data = Buffer.from(raw, 'latin1')
    else throw new UnpickleError('a numpy array in the pickle holds Python objects, not raw numbers')
    return
  }
  if (target instanceof Dtype) return // byte order and flags: irrelevant for single bytes
  if (target instanceof PyObject) target.state = state
  else if (target instanceof Map && state instanceof Map) for (const [k, v] of state) target.set(k, v)
}

function textOf(value: unknown): string {
  return value instanceof PyBytes ? value.text() : typeof value === 'string' ? value : ''
}
