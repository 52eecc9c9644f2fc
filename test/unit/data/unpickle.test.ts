import { describe, expect, it } from 'vitest'
import { NdArray, PyBytes, unpickle } from '../../../src-main/lab/data/unpickle'
import { NumpyU8, pickle, py2 } from './fixtures'

describe('unpickle', () => {
  it('reads a Python 2 dict with byte-string keys, int lists and a uint8 numpy array', () => {
    const data = Buffer.from([0, 1, 127, 128, 200, 255])
    const value = unpickle(
      pickle(
        new Map<unknown, unknown>([
          [py2('labels'), [3, 300, -5]],
          [py2('data'), new NumpyU8([2, 3], data)],
          [py2('name'), py2('caf\xe9')]
        ])
      )
    ) as Map<string, unknown>
    expect(value.get('labels')).toEqual([3, 300, -5])
    const array = value.get('data') as NdArray
    expect(array).toBeInstanceOf(NdArray)
    expect(array.shape).toEqual([2, 3])
    expect(array.dtype).toBe('u1')
    expect(Buffer.from(array.data)).toEqual(data)
    // A Python 2 str stays bytes: é is the single byte 0xe9, not UTF-8.
    expect(Array.from((value.get('name') as PyBytes).bytes)).toEqual([0x63, 0x61, 0x66, 0xe9])
  })

  it('reads Python 3 protocol-2 bytes written as _codecs.encode(text, "latin1")', () => {
    // {'d': _codecs.encode('\xff\x00', 'latin1')}, hand-assembled as CPython writes it.
    const text = Buffer.from('\xff\x00', 'utf8')
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 1, 0, 0, 0]),
      Buffer.from('d'),
      Buffer.from('c_codecs\nencode\n', 'latin1'),
      Buffer.from([0x58, text.length, 0, 0, 0]),
      text,
      Buffer.from([0x58, 6, 0, 0, 0]),
      Buffer.from('latin1'),
      Buffer.from([0x86, 0x52, 0x73, 0x2e])
    ])
    const value = unpickle(bytes) as Map<string, PyBytes>
    expect(Array.from(value.get('d')!.bytes)).toEqual([0xff, 0x00])
  })

  it('refuses opcodes it does not know instead of guessing', () => {
    expect(() => unpickle(Buffer.from([0x80, 0x02, 0x50, 0x2e]))).toThrow('unsupported pickle opcode 0x50 at byte 2')
  })
})
