import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { initEngine } from '../../../src-main/lab/engine/init'
import { seededUniform } from '../../../src-main/lab/models/random'

/** max |a − b| / max |b|, in float64. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0
  let scale = 0
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return diff / scale
}

type PadSpec = 'same' | 'valid' | number
interface Config {
  n: number
  h: number
  w: number
  ci: number
  co: number
  k: number
  s: number
  pad: PadSpec
  depthwise: boolean
}

/** 24 conv configurations drawn from a fixed seed, covering every required case at least once. */
function configs(): Config[] {
  const r = seededUniform(20261125)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const out: Config[] = []
  const ks = [1, 3, 5]
  const pads: PadSpec[] = ['same', 'valid', 1]
  for (let i = 0; i < 24; i++) {
    const k = ks[i % 3]
    const s = 1 + (Math.floor(i / 3) % 2)
    const pad = pads[Math.floor(i / 6) % 3]
    const depthwise = i % 8 === 7
    const size = (): number => k + 2 + Math.floor(r() * 6) // odd and even sizes ≥ k + 2
    out.push({
      n: pick([1, 2, 3]),
      h: size(),
      w: size(),
      ci: pick([1, 2, 3, 5]),
      co: depthwise ? 2 : pick([1, 2, 4, 6]),
      k,
      s,
      pad,
      depthwise
    })
  }
  return out
}

const explicit = (p: PadSpec): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] =>
  typeof p === 'number'
    ? [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0]
      ]
    : p

function values(n: number, seed: number): Float32Array {
  const r = seededUniform(seed)
  return Float32Array.from({ length: n }, () => r() * 2 - 1)
}

/** A linear function of (x, filter): the conv output weighted by fixed random coefficients. */
function setup(c: Config) {
  const x = tf.tensor4d(values(c.n * c.h * c.w * c.ci, 1), [c.n, c.h, c.w, c.ci])
  const filter = tf.tensor4d(values(c.k * c.k * c.ci * c.co, 2), [c.k, c.k, c.ci, c.co])
  const conv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor4D =>
    c.depthwise
      ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, explicit(c.pad) as 'same')
      : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, explicit(c.pad) as 'same')
  const outShape = conv(x, filter).shape
  const coeff = tf.tensor(
    values(
      outShape.reduce((p, q) => p * q, 1),
      3
    ),
    outShape
  )
  const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(conv(a, b), coeff))
  return { x, filter, loss }
}

function gradients(backend: string, c: Config): { dx: Float32Array; dw: Float32Array } {
  tf.setBackend(backend)
  return tf.tidy(() => {
    const { x, filter, loss } = setup(c)
    const [dx, dw] = tf.grads(loss)([x, filter])
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array }
  })
}

/**
 * Central differences on the wasm forward pass. The loss is linear in x and in the filter, so a
 * step of 1 is exact up to float32 rounding of the forward pass.
 */
function finiteDifferences(c: Config, which: 'x' | 'filter', indices: number[]): number[] {
  tf.setBackend('wasm')
  return tf.tidy(() => {
    const { x, filter, loss } = setup(c)
    const base = (which === 'x' ? x : filter).dataSync() as Float32Array
    const shape = (which === 'x' ? x : filter).shape
    return indices.map((i) => {
      const evalAt = (delta: number): number => {
        const v = base.slice()
        v[i] += delta
        const t = tf.tensor(v, shape)
        const out = which === 'x' ? loss(t, filter) : loss(x, t)
        return out.dataSync()[0]
      }
      return (evalAt(1) - evalAt(-1)) / 2
    })
  })
}

describe('wasm convolution gradients', () => {
  beforeAll(async () => {
    await initEngine('wasm')
  })

  const cases = configs()
  it('cover strides 1–2, same/valid/explicit padding, 1×1/3×3/5×5 filters, batch > 1', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
    for (const k of [1, 3, 5]) expect(cases.some((c) => c.k === k)).toBe(true)
    for (const s of [1, 2]) expect(cases.some((c) => c.s === s)).toBe(true)
    for (const p of ['same', 'valid', 1]) expect(cases.some((c) => c.pad === p)).toBe(true)
    expect(cases.some((c) => c.n > 1)).toBe(true)
    expect(cases.some((c) => c.h % 2 === 1)).toBe(true)
  })

  for (const c of cases) {
    const label = `${c.depthwise ? 'depthwise' : 'conv'} n${c.n} ${c.h}×${c.w}×${c.ci}→${c.co} k${c.k} s${c.s} pad ${c.pad}`
    it(`${label}: match the cpu backend and central differences within 1e-4`, () => {
      const wasm = gradients('wasm', c)
      const cpu = gradients('cpu', c)
      expect(relError(wasm.dx, cpu.dx)).toBeLessThan(1e-4)
      expect(relError(wasm.dw, cpu.dw)).toBeLessThan(1e-4)

      const pickIdx = (len: number, seed: number): number[] => {
        const r = seededUniform(seed)
        return Array.from({ length: Math.min(8, len) }, () => Math.floor(r() * len))
      }
      const xi = pickIdx(wasm.dx.length, 11)
      const wi = pickIdx(wasm.dw.length, 12)
      const fdx = finiteDifferences(c, 'x', xi)
      const fdw = finiteDifferences(c, 'filter', wi)
      const scaleX = Math.max(...Array.from(cpu.dx, Math.abs))
      const scaleW = Math.max(...Array.from(cpu.dw, Math.abs))
      xi.forEach((i, j) => expect(Math.abs(wasm.dx[i] - fdx[j]) / scaleX).toBeLessThan(1e-4))
      wi.forEach((i, j) => expect(Math.abs(wasm.dw[i] - fdw[j]) / scaleW).toBeLessThan(1e-4))
    })
  }
})
