import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { CheckpointStore } from '../../../src-main/lab/train/checkpoints'
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
