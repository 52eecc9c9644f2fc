import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { createModel, type CreateModelOptions } from '../../../src-main/lab/models/model'
import { exportStateDict, importStateDict, readSpec } from '../../../src-main/lab/models/stateDict'
import { readSafetensors, writeSafetensors, f32Bytes } from '../../../src-main/lab/models/safetensors'
import { trainingGradients } from '../../../src-main/lab/models/gradient'
import { flatten, unflatten } from '../../../src-main/lab/train/parallel/flat'
import { seededUniform } from '../../../src-main/lab/models/random'

const archs: CreateModelOptions[] = [
  { arch: 'mlp', inputShape: [8, 6, 3], numClasses: 5, seed: 1, mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.4] },
  { arch: 'cnn-small', inputShape: [12, 16, 3], numClasses: 4, seed: 1, width: 0.25 },
  { arch: 'resnet18', inputShape: [16, 16, 3], numClasses: 10, seed: 1, width: 0.125 }
]

describe('safetensors', () => {
  it('writes an 8-byte little-endian header length, a JSON header and the raw data, and reads it back', () => {
    const values = new Float32Array([1.5, -2, 3.25, 0])
    const bytes = writeSafetensors([['w', { dtype: 'F32', shape: [2, 2], data: f32Bytes(values) }]], { note: 'x' })
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)))
    expect(header.w).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] })
    expect((8 + headerLength) % 8).toBe(0)
    const back = readSafetensors(bytes)
    expect(back.metadata).toEqual({ note: 'x' })
    expect(Array.from(new Float32Array(back.tensors.get('w')!.data.slice().buffer))).toEqual(Array.from(values))
  })

  it('rejects a file whose header length runs past its end, naming the file', () => {
    const bytes = new Uint8Array(16)
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true)
    expect(() => readSafetensors(bytes, 'broken.safetensors')).toThrow(/broken\.safetensors.*header length 1000/)
  })
})

describe('state_dict export → import', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  for (const opts of archs) {
    it(`${opts.arch}: a model rebuilt from the exported file gives identical logits`, () => {
      const a = createModel(opts)
      // Move the BatchNorm statistics away from their initial values so they are exercised.
      const r = seededUniform(2)
      for (const b of a.buffers)
        if (b.name.endsWith('running_mean') || b.name.endsWith('running_var'))
          b.tensor.assign(
            tf.tensor(
              Float32Array.from({ length: b.tensor.size }, () => 0.5 + r()),
              b.tensor.shape
            )
          )
      const bytes = exportStateDict(a)
      const spec = readSpec(bytes)!
      expect(spec).toEqual(a.spec)
      const b = createModel({ ...spec, seed: 99 })
      importStateDict(b, bytes)
      const x = tf.randomUniform([2, ...opts.inputShape]) as tf.Tensor4D
      expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(a.forward(x).dataSync()))
      tf.dispose(x)
      a.dispose()
      b.dispose()
    })
  }

  it('stores convs as OIHW and linears as [out, in] under PyTorch names', () => {
    const m = createModel(archs[2])
    const file = readSafetensors(exportStateDict(m))
    expect(file.tensors.get('conv1.weight')!.shape).toEqual([8, 3, 3, 3])
    expect(file.tensors.get('layer2.0.shortcut.0.weight')!.shape).toEqual([16, 8, 1, 1])
    expect(file.tensors.get('linear.weight')!.shape).toEqual([10, 64])
    expect(file.tensors.get('bn1.num_batches_tracked')!.dtype).toBe('I64')
    m.dispose()
  })

  it('refuses a file with a tensor of the wrong shape, naming the key and both shapes', () => {
    const small = createModel(archs[2])
    const wide = createModel({ ...archs[2], width: 0.25 })
    expect(() => importStateDict(small, exportStateDict(wide), { source: 'wide.safetensors' })).toThrow(
      /wide\.safetensors: tensor "conv1\.weight" has shape \[16, 3, 3, 3\].*\[8, 3, 3, 3\]/
    )
    small.dispose()
    wide.dispose()
  })
})

describe('flat gradients (data-parallel exchange)', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  it('flatten → unflatten returns every gradient unchanged, in parameter order', () => {
    const m = createModel(archs[1])
    const x = tf.randomUniform([2, ...archs[1].inputShape]) as tf.Tensor4D
    const y = tf.tensor1d([0, 1], 'int32')
    const g = trainingGradients(m, x, y)
    const grads = m.params.map((p) => g.grads[p.name])
    const flat = flatten(grads)
    expect(flat.length).toBe(m.paramCount())
    const back = unflatten(grads, flat)
    m.params.forEach((p, i) => expect(Array.from(back[i].dataSync())).toEqual(Array.from(g.grads[p.name].dataSync())))
    tf.dispose([x, y, g.loss, g.logits, ...Object.values(g.grads), ...back])
    m.dispose()
  })
})
