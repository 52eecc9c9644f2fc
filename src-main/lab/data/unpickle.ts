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

/** Names of the opcodes we read, for messages ("APPEND (opcode 0x61 at byte 5) …"). */
const OPCODE_NAMES: Record<number, string> = {
  0x80: 'PROTO',
  0x95: 'FRAME',
  0x7d: 'EMPTY_DICT',
  0x5d: 'EMPTY_LIST',
  0x29: 'EMPTY_TUPLE',
  0x28: 'MARK',
  0x75: 'SETITEMS',
  0x73: 'SETITEM',
  0x65: 'APPENDS',
  0x61: 'APPEND',
  0x74: 'TUPLE',
  0x85: 'TUPLE1',
  0x86: 'TUPLE2',
  0x87: 'TUPLE3',
  0x55: 'SHORT_BINSTRING',
  0x54: 'BINSTRING',
  0x43: 'SHORT_BINBYTES',
  0x42: 'BINBYTES',
  0x8e: 'BINBYTES8',
  0x8c: 'SHORT_BINUNICODE',
  0x58: 'BINUNICODE',
  0x8d: 'BINUNICODE8',
  0x4b: 'BININT1',
  0x4d: 'BININT2',
  0x4a: 'BININT',
  0x8a: 'LONG1',
  0x47: 'BINFLOAT',
  0x4e: 'NONE',
  0x88: 'NEWTRUE',
  0x89: 'NEWFALSE',
  0x71: 'BINPUT',
  0x72: 'LONG_BINPUT',
  0x94: 'MEMOIZE',
  0x68: 'BINGET',
  0x6a: 'LONG_BINGET',
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x81: 'NEWOBJ',
  0x62: 'BUILD',
  0x2e: 'STOP'
}

/**
 * Python's name for what a value is, for messages. Lists and tuples are both JS arrays here (a
 * pickle cannot tell us which one a CIFAR file meant), so both read as "a list".
 */
export function pyTypeName(value: unknown): string {
  if (value === null) return 'None'
  if (value === undefined) return 'nothing'
  if (typeof value === 'boolean') return 'a bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an int' : 'a float'
  if (typeof value === 'string') return 'a str'
  if (value instanceof PyBytes) return 'bytes'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Map) return 'a dict'
  if (value instanceof NdArray) return 'a numpy array'
  if (value instanceof Dtype) return 'a numpy dtype'
  if (value instanceof PyGlobal) return `the global ${value.qualified}`
  if (value instanceof PyObject) return `a ${value.cls.qualified} object`
  return typeof value
}

export function unpickle(input: Uint8Array): unknown {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  let pos = 0
  let op = 0
  let opPos = 0
  const stack: unknown[] = []
  const marks: number[] = []
  const memo = new Map<number, unknown>()

  /** An error about the current opcode's operands: "APPEND (opcode 0x61 at byte 5) <problem>". */
  const fail = (problem: string) =>
    new UnpickleError(`${OPCODE_NAMES[op] ?? 'opcode'} (opcode 0x${op.toString(16).padStart(2, '0')} at byte ${opPos}) ${problem}`)
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
    if (stack.length === 0 || stack.length <= (marks[marks.length - 1] ?? -1)) throw fail('pops from an empty stack')
    return stack.pop()
  }
  const popMark = () => {
    const mark = marks.pop()
    if (mark === undefined) throw fail('has no mark where one is needed')
    return stack.splice(mark)
  }
  const top = () => {
    if (stack.length === 0) throw fail('pops from an empty stack')
    return stack[stack.length - 1]
  }
  const put = (key: number) => {
    if (stack.length === 0) throw fail('stores the top of an empty stack')
    memo.set(key, stack[stack.length - 1])
  }
  const list = (target: unknown): unknown[] => {
    if (!Array.isArray(target)) throw fail(`adds to ${pyTypeName(target)}; it can only add to a list`)
    return target
  }
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) throw fail(`sets items on ${pyTypeName(dict)}; it can only set items on a dict`)
    if (items.length % 2 !== 0) throw fail(`has ${items.length} values between its mark and itself; keys and values come in pairs`)
    for (let i = 0; i + 1 < items.length; i += 2) dict.set(dictKey(items[i]), items[i + 1])
  }
  const callWith = () => {
    const args = pop()
    const callable = pop()
    if (!(callable instanceof PyGlobal)) throw fail(`calls ${pyTypeName(callable)}, which is not a class or function`)
    if (!Array.isArray(args)) throw fail(`calls ${callable.qualified} with ${pyTypeName(args)} as its arguments; expected a tuple`)
    return call(callable, args, fail)
  }

  for (;;) {
    opPos = pos
    op = u8()
    switch (op) {
      case 0x80:
        u8()
        break // PROTO
      case 0x95:
        u64()
        break // FRAME: framing only matters for streaming readers
      case 0x7d:
        stack.push(new Map())
        break // EMPTY_DICT }
      case 0x5d:
        stack.push([])
        break // EMPTY_LIST ]
      case 0x29:
        stack.push([])
        break // EMPTY_TUPLE )
      case 0x28:
        marks.push(stack.length)
        break // MARK (
      case 0x75: {
        const items = popMark()
        setItems(top(), items)
        break
      } // SETITEMS u
      case 0x73: {
        const v = pop()
        const k = pop()
        setItems(top(), [k, v])
        break
      } // SETITEM s
      case 0x65: {
        const items = popMark()
        list(top()).push(...items)
        break
      } // APPENDS e
      case 0x61: {
        const v = pop()
        list(top()).push(v)
        break
      } // APPEND a
      case 0x74:
        stack.push(popMark())
        break // TUPLE t
      case 0x85:
        stack.push([pop()])
        break // TUPLE1
      case 0x86: {
        const b = pop()
        const a = pop()
        stack.push([a, b])
        break
      } // TUPLE2
      case 0x87: {
        const c = pop()
        const b = pop()
        const a = pop()
        stack.push([a, b, c])
        break
      } // TUPLE3
      case 0x55:
        stack.push(new PyBytes(bytes(u8())))
        break // SHORT_BINSTRING U (Python 2 str)
      case 0x54:
        stack.push(new PyBytes(bytes(i32())))
        break // BINSTRING T
      case 0x43:
        stack.push(new PyBytes(bytes(u8())))
        break // SHORT_BINBYTES C
      case 0x42:
        stack.push(new PyBytes(bytes(i32())))
        break // BINBYTES B
      case 0x8e:
        stack.push(new PyBytes(bytes(u64())))
        break // BINBYTES8
      case 0x8c:
        stack.push(bytes(u8()).toString('utf8'))
        break // SHORT_BINUNICODE
      case 0x58:
        stack.push(bytes(i32()).toString('utf8'))
        break // BINUNICODE X
      case 0x8d:
        stack.push(bytes(u64()).toString('utf8'))
        break // BINUNICODE8
      case 0x4b:
        stack.push(u8())
        break // BININT1 K
      case 0x4d:
        stack.push(u16())
        break // BININT2 M
      case 0x4a:
        stack.push(i32())
        break // BININT J
      case 0x8a:
        stack.push(readLong(bytes(u8())))
        break // LONG1
      case 0x47:
        need(8)
        stack.push(buf.readDoubleBE(pos))
        pos += 8
        break // BINFLOAT G
      case 0x4e:
        stack.push(null)
        break // NONE N
      case 0x88:
        stack.push(true)
        break // NEWTRUE
      case 0x89:
        stack.push(false)
        break // NEWFALSE
      case 0x71:
        put(u8())
        break // BINPUT q
      case 0x72:
        put(i32())
        break // LONG_BINPUT r
      case 0x94:
        put(memo.size)
        break // MEMOIZE
      case 0x68:
        stack.push(fromMemo(memo, u8()))
        break // BINGET h
      case 0x6a:
        stack.push(fromMemo(memo, i32()))
        break // LONG_BINGET j
      case 0x63: {
        const module = line()
        stack.push(new PyGlobal(module, line()))
        break
      } // GLOBAL c
      case 0x93: {
        // STACK_GLOBAL
        const name = pop()
        const module = pop()
        if (typeof module !== 'string' || typeof name !== 'string')
          throw fail(
            `names a module ${pyTypeName(module).replace(/^an? /, '')} and a class ${pyTypeName(name).replace(/^an? /, '')}; expected two strings`
          )
        stack.push(new PyGlobal(module, name))
        break
      }
      case 0x52:
        stack.push(callWith())
        break // REDUCE R
      case 0x81:
        stack.push(callWith())
        break // NEWOBJ
      case 0x62: {
        const state = pop()
        build(top(), state, fail)
        break
      } // BUILD b
      case 0x2e:
        return pop() // STOP .
      default:
        throw new UnpickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}`)
    }
  }
}

type Fail = (problem: string) => UnpickleError

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

function call(callable: PyGlobal, args: unknown[], fail: Fail): unknown {
  if (RECONSTRUCT.has(callable.qualified)) return new NdArray()
  if (callable.qualified === 'numpy.dtype') {
    if (!(args[0] instanceof PyBytes) && typeof args[0] !== 'string')
      throw fail(`calls numpy.dtype with ${pyTypeName(args[0])} for its type; expected a string`)
    return new Dtype(textOf(args[0]))
  }
  // Python 3 writes bytes as _codecs.encode(text, 'latin1') under protocol 2.
  if (callable.qualified === '_codecs.encode' && typeof args[0] === 'string')
    return new PyBytes(Buffer.from(args[0], (textOf(args[1]) || 'latin1') === 'latin1' ? 'latin1' : 'utf8'))
  return new PyObject(callable, args)
}

const NDARRAY_STATE = 'expected a tuple (version, shape, dtype, Fortran order, data)'

function build(target: unknown, state: unknown, fail: Fail): void {
  if (target instanceof NdArray) {
    // ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata)
    if (!Array.isArray(state) || (state.length !== 4 && state.length !== 5))
      throw fail(
        `gives a numpy array the state ${Array.isArray(state) ? `a tuple of ${state.length} values` : describeValue(state)}; ${NDARRAY_STATE}`
      )
    const [shape, dtype, fortran, raw] = state.length === 5 ? state.slice(1) : state
    if (!Array.isArray(shape)) throw fail(`gives a numpy array the shape ${describeValue(shape)}; expected a tuple of sizes`)
    if (!shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      throw fail(`gives a numpy array the shape (${shape.map(describeValue).join(', ')}); every size must be a whole number ≥ 0`)
    if (!(dtype instanceof Dtype) && !(dtype instanceof PyBytes) && typeof dtype !== 'string')
      throw fail(`gives a numpy array the dtype ${describeValue(dtype)}; expected a numpy dtype`)
    if (typeof fortran !== 'boolean' && typeof fortran !== 'number')
      throw fail(`gives a numpy array the Fortran-order flag ${describeValue(fortran)}; expected True or False`)
    target.shape = shape as number[]
    target.dtype = dtype instanceof Dtype ? dtype.descr : textOf(dtype)
    target.fortranOrder = Boolean(fortran)
    if (raw instanceof PyBytes) target.data = raw.bytes
    else if (typeof raw === 'string') target.data = Buffer.from(raw, 'latin1')
    else throw new UnpickleError('a numpy array in the pickle holds Python objects, not raw numbers')
    return
  }
  if (target instanceof Dtype) return // byte order and flags: irrelevant for single bytes
  if (target instanceof PyObject) target.state = state
  else if (target instanceof Map) {
    if (state instanceof Map) for (const [k, v] of state) target.set(k, v)
    else if (state !== null) throw fail(`gives a dict the state ${describeValue(state)}; expected a dict`)
  } else throw fail(`gives a state to ${pyTypeName(target)}, which cannot take one`)
}

/** A value in a message: numbers and None as Python prints them, anything else by its type. */
function describeValue(value: unknown): string {
  if (value === null) return 'None'
  if (typeof value === 'number') return `${value} (${pyTypeName(value)})`
  return pyTypeName(value)
}

function textOf(value: unknown): string {
  return value instanceof PyBytes ? value.text() : typeof value === 'string' ? value : ''
}
