import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { CheckpointStore } from '../../../src-main/lab/train/checkpoints'
import { readSafetensors, writeSafetensors } from '../../../src-main/lab/train/safetensors'
import { tempDir } from '../../support/temp'

beforeAll(async () => {
  await initEngine('cpu')
})
const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function dir() {
  const t = tempDir('ckpt')
  cleanups.push(t.cleanup)
  return t.dir
}

describe('safetensors', () => {
  it('round-trips named float32 tensors and metadata, with an 8-byte aligned data section', () => {
    const tensors = new Map([
      ['conv1.weight', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) }],
      ['bn.running_var', { shape: [1], data: Float32Array.from([0.25]) }]
    ])
    const bytes = writeSafetensors(tensors, { note: 'hi' })
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    expect((8 + headerLength) % 8).toBe(0)
    const back = readSafetensors(bytes)
    expect(back.metadata).toEqual({ note: 'hi' })
    expect([...back.tensors.keys()]).toEqual(['conv1.weight', 'bn.running_var'])
    expect(back.tensors.get('conv1.weight')).toEqual({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) })
  })

  it('rejects a truncated file, naming the tensor that lies outside it', () => {
    const bytes = writeSafetensors(new Map([['w', { shape: [4], data: new Float32Array(4) }]]))
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 3))).toThrow('tensor "w" lies outside the file (truncated?)')
  })
})

describe('CheckpointStore', () => {
  const meta = (step: number) => ({ step, globalStep: step, epochCorrect: step * 2, epochSeen: step * 3 })

  it('returns the newest checkpoint of a phase and keeps only the last two', async () => {
    const store = new CheckpointStore(dir())
    for (const step of [10, 20, 30]) await store.save('train', new Map([['w', tf.tensor1d([step])]]), meta(step))
    const latest = store.latest('train')!
    expect(latest.meta).toMatchObject(meta(30))
    expect(Array.from(latest.tensors.get('w')!)).toEqual([30])
    expect(fs.readdirSync(store.dir).sort()).toEqual(['train-step00000020.safetensors', 'train-step00000030.safetensors'])
    expect(store.latest('student')).toBeNull()
  })

  it('falls back to the previous checkpoint when the newest is damaged', async () => {
    const store = new CheckpointStore(dir())
    await store.save('train', new Map([['w', tf.tensor1d([1])]]), meta(1))
    const newest = await store.save('train', new Map([['w', tf.tensor1d([2])]]), meta(2))
    fs.writeFileSync(newest, fs.readFileSync(newest).subarray(0, 20))
    expect(store.latest('train')!.meta.step).toBe(1)
  })

  it('leaves no temporary file behind', async () => {
    const store = new CheckpointStore(dir())
    await store.save('train', new Map([['w', tf.tensor1d([1])]]), meta(1))
    expect(fs.readdirSync(store.dir).filter((f) => f.includes('.tmp'))).toEqual([])
    expect(path.basename(store.latest('train')!.file)).toBe('train-step00000001.safetensors')
  })
})
