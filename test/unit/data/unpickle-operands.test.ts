/**
 * The unpickler checks the type of every operand: a malformed CIFAR pickle ends in a message that
 * names the file, the opcode, where it is and what was wrong with its operand, never in a
 * JavaScript TypeError ("Cannot read properties of null").
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../src-main/lab/data/detect'
import { LabError } from '../../../src-main/api/errors'
import { removeTempDirs, tempDir, writeCifar10Py } from './fixtures'

afterAll(removeTempDirs)

const TODO = 'Copy or extract the file again; it must be a CIFAR batch written by Python’s pickle.'

/** Assembles a pickle from opcodes (numbers) and latin-1 text. */
const asm = (...parts: Array<number[] | string>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))
const PROTO = [0x80, 0x02]
const EMPTY_DICT = [0x7d]
const MARK = [0x28]
const key = (text: string) => [0x55, text.length, ...Buffer.from(text, 'latin1')]
const int = (v: number) => [0x4b, v]
/** numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), 'b'): an empty array awaiting its BUILD. */
const NEW_ARRAY: Array<number[] | string> = [
  'cnumpy.core.multiarray\n_reconstruct\n',
  'cnumpy\nndarray\n',
  int(0),
  [0x85],
  key('b'),
  [0x87, 0x52]
]
const DTYPE_U1: Array<number[] | string> = ['cnumpy\ndtype\n', key('u1'), int(0), int(1), [0x87, 0x52]]

/** A CIFAR-10 python folder whose data_batch_1 is `bytes`; returns that file's path. */
function cifarWith(bytes: Buffer): { dir: string; file: string } {
  const dir = writeCifar10Py(tempDir())
  const file = path.join(dir, 'data_batch_1')
  fs.writeFileSync(file, bytes)
  return { dir, file }
}

async function errorOf(dir: string): Promise<LabError> {
  const error = await openDataset(dir).then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(LabError)
  return error as LabError
}

describe('malformed CIFAR pickles', () => {
  it('a BUILD giving a numpy array the state None names the file and the missing state', async () => {
    // {'data': <array>} with BUILD(None)
    const bytes = asm(PROTO, EMPTY_DICT, MARK, key('data'), ...NEW_ARRAY, [0x4e, 0x62], [0x75, 0x2e])
    const { dir, file } = cifarWith(bytes)
    const error = await errorOf(dir)
    expect(error.code).toBe('bad_input')
    expect(error.message).toBe(
      `${file}: cannot be read as a pickle: BUILD (opcode 0x62 at byte ${bytes.length - 3}) gives a numpy array the state None; expected a tuple (version, shape, dtype, Fortran order, data). ${TODO}`
    )
  })

  it('a numpy array whose shape is an int names the file and the shape', async () => {
    // state (1, 5, dtype('u1'), False, b'\0\0\0\0\0'): the shape should be the tuple (5,)
    const state = [MARK, int(1), int(5), ...DTYPE_U1, [0x89], key('\0\0\0\0\0'), [0x74]]
    const bytes = asm(PROTO, EMPTY_DICT, MARK, key('data'), ...NEW_ARRAY, ...state, [0x62], [0x75, 0x2e])
    const { dir, file } = cifarWith(bytes)
    const error = await errorOf(dir)
    expect(error.message).toBe(
      `${file}: cannot be read as a pickle: BUILD (opcode 0x62 at byte ${bytes.length - 3}) gives a numpy array the shape 5 (an int); expected a tuple of sizes. ${TODO}`
    )
  })

  it('APPEND onto a dict names the file and the dict', async () => {
    const { dir, file } = cifarWith(asm(PROTO, EMPTY_DICT, int(1), [0x61, 0x2e]))
    const error = await errorOf(dir)
    expect(error.message).toBe(
      `${file}: cannot be read as a pickle: APPEND (opcode 0x61 at byte 5) adds to a dict; it can only add to a list. ${TODO}`
    )
  })

  it('APPENDS onto an int, SETITEMS onto a list and REDUCE with an int for arguments are refused by name', async () => {
    // Each opcode under test comes right before STOP, so its byte offset is length - 2 (BINPUT: - 3).
    const cases: Array<[Buffer, string]> = [
      [asm(PROTO, int(3), MARK, int(1), [0x65, 0x2e]), 'APPENDS (opcode 0x65 at byte 7) adds to an int; it can only add to a list'],
      [
        asm(PROTO, [0x5d], MARK, int(1), int(2), [0x75, 0x2e]),
        'SETITEMS (opcode 0x75 at byte 8) sets items on a list; it can only set items on a dict'
      ],
      [
        asm(PROTO, 'cnumpy\ndtype\n', int(7), [0x52, 0x2e]),
        'REDUCE (opcode 0x52 at byte 17) calls numpy.dtype with an int as its arguments; expected a tuple'
      ],
      [
        asm(PROTO, int(1), int(2), [0x93, 0x2e]),
        'STACK_GLOBAL (opcode 0x93 at byte 6) names a module int and a class int; expected two strings'
      ],
      [asm(PROTO, int(1), [0x62, 0x2e]), 'BUILD (opcode 0x62 at byte 4) pops from an empty stack'],
      [asm(PROTO, [0x71, 0x01, 0x2e]), 'BINPUT (opcode 0x71 at byte 2) stores the top of an empty stack']
    ]
    for (const [bytes, problem] of cases) {
      const { dir, file } = cifarWith(bytes)
      const error = await errorOf(dir)
      expect(error.message).toBe(`${file}: cannot be read as a pickle: ${problem}. ${TODO}`)
    }
  })
})
