/**
 * CROWN-IBP training's loss is what the paper writes: the schedules ramp linearly, the robust term
 * is the cross-entropy of the negated margin bounds the certification code computes (IBP at β = 0,
 * CROWN from IBP's pre-activation bounds at β = 1), it is the natural loss at ε = 0, and its weight
 * gradient — which training follows — matches finite differences.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../../../src-main/lab/engine/init'
import { DefenceSchema } from '../../../src-main/api/defences'
import { crownIbpRobustLoss, crownIbpSchedule, type CrownIbpTraining } from '../../../src-main/lab/defences/certified-training'
import { lossWithDefence } from '../../../src-main/lab/defences/training'
import { sequentialLayers } from '../../../src-main/lab/eval/sequential'
import { certifyIbp } from '../../../src-main/lab/eval/ibp'
import { certifyCrown } from '../../../src-main/lab/certify/crown'
import { crossEntropy } from '../../../src-main/lab/train/losses'
import { splitBatch } from '../../../src-main/lab/train/step'
import { images, tinyModel } from '../defences/fixtures'

beforeAll(async () => {
  await initEngine('cpu')
})

const defence = (fields: Record<string, unknown> = {}) =>
  DefenceSchema.parse({ kind: 'crown-ibp', epsilon: 0.3, ...fields }) as CrownIbpTraining

describe('the CROWN-IBP schedules', () => {
  it('hold the start values before the ramp, move linearly along it and hold the end values after it', () => {
    const d = defence({ rampStart: 0.2, rampEnd: 0.6 })
    expect(crownIbpSchedule(d, 0)).toEqual({ epsilon: 0, beta: 1, kappa: 1 })
    const mid = crownIbpSchedule(d, 0.4)
    expect(mid.epsilon).toBeCloseTo(0.15, 12)
    expect(mid.beta).toBeCloseTo(0.5, 12)
    expect(mid.kappa).toBeCloseTo(0.5, 12)
    expect(crownIbpSchedule(d, 0.9)).toEqual({ epsilon: 0.3, beta: 0, kappa: 0 })
  })

  it('reach every data-parallel shard: a split batch keeps its progress', () => {
    const batch = {
      images: new Float32Array(8 * 4),
      labels: new Int32Array(8),
      indices: Int32Array.from({ length: 8 }, (_, i) => i),
      progress: 0.375
    }
    const shards = splitBatch(batch, 3, 4)
    expect(shards).toHaveLength(3)
    expect(shards.map((s) => s.progress)).toEqual([0.375, 0.375, 0.375])
  })

  it("defaults to the paper's β 1 → 0 and κ 1 → 0, and refuses a ramp that ends before it starts", () => {
    expect(defence()).toMatchObject({ betaStart: 1, betaEnd: 0, kappaStart: 1, kappaEnd: 0 })
    const r = DefenceSchema.safeParse({ kind: 'crown-ibp', epsilon: 0.1, rampStart: 0.5, rampEnd: 0.2 })
    expect(r.success).toBe(false)
    expect(JSON.stringify(r.error?.issues)).toContain('rampEnd')
  })
})

describe('the CROWN-IBP robust loss', () => {
  let model: ReturnType<typeof tinyModel>
  beforeAll(() => {
    model = tinyModel('mlp', 31)
  })
  const shape: [number, number, number] = [4, 4, 1]
  const n = 5
  const data = images(n, shape, 32)
  const labels = Int32Array.from([0, 1, 2, 0, 1])
  const x = () => tf.tensor4d(data, [n, ...shape])
  const y = () => tf.tensor1d(labels, 'int32')

  it('is the natural cross-entropy at ε = 0', () => {
    const layers = sequentialLayers(model)!
    for (const beta of [0, 0.5, 1])
      expect(crownIbpRobustLoss(model, layers, x(), y(), 0, beta).dataSync()[0]).toBeCloseTo(
        crossEntropy(model.forward(x()), y()).dataSync()[0],
        4
      )
  })

  it("uses the bounds the certifiers compute: at β = 0 IBP's, at β = 1 CROWN's with interval pre-activation bounds", () => {
    const layers = sequentialLayers(model)!
    const eps = 0.05
    // The certifiers keep only min_j m_j; with two classes besides y, CE(−m, y) = log(1 + Σ_j e^{−m_j})
    // lies between log(1 + e^{−min m}) and log(1 + 2e^{−min m}).
    const ibp = certifyIbp(layers, data, labels, shape, eps)
    const crown = certifyCrown(layers, data, labels, shape, eps, { maxCrownNeurons: 0 })
    const perSample = (beta: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          crownIbpRobustLoss(
            model,
            layers,
            tf.tensor4d(data.subarray(i * 16, (i + 1) * 16), [1, ...shape]),
            tf.tensor1d([labels[i]], 'int32'),
            eps,
            beta
          ).dataSync()[0]
      )
    perSample(0).forEach((l, i) => {
      expect(l).toBeGreaterThanOrEqual(Math.log1p(Math.exp(-ibp.marginLowerBounds[i])) - 1e-5)
      expect(l).toBeLessThanOrEqual(Math.log1p(2 * Math.exp(-ibp.marginLowerBounds[i])) + 1e-5)
    })
    perSample(1).forEach((l, i) => {
      expect(l).toBeGreaterThanOrEqual(Math.log1p(Math.exp(-crown.backSubstitutedBounds[i])) - 1e-5)
      expect(l).toBeLessThanOrEqual(Math.log1p(2 * Math.exp(-crown.backSubstitutedBounds[i])) + 1e-5)
    })
  })

  for (const [arch, weight] of [
    ['mlp', 'fc1.weight'],
    ['cnn-small', 'conv2.weight']
  ] as const)
    it(`${arch}: has the weight gradient of finite differences (${weight})`, () => {
      const net = arch === 'mlp' ? model : tinyModel('cnn-small', 33)
      const dims = net.spec.inputShape
      const m = 3
      const input = () => tf.tensor4d(images(m, dims, 34), [m, ...dims])
      const target = () => tf.tensor1d([0, 1, 2], 'int32')
      const layers = sequentialLayers(net)!
      const [eps, beta] = [0.05, 0.5]
      const variable = net.get(weight)
      const lossValue = () => tf.tidy(() => crownIbpRobustLoss(net, layers, input(), target(), eps, beta).dataSync()[0])
      const { grads } = tf.variableGrads(() => crownIbpRobustLoss(net, layers, input(), target(), eps, beta), [variable])
      const grad = grads[variable.name].dataSync()
      const values = variable.dataSync().slice()
      const h = 1e-3
      for (const k of [0, 7, 19, 40]) {
        const at = (delta: number) => {
          const moved = values.slice()
          moved[k] += delta
          variable.assign(tf.tensor(moved, variable.shape))
          return lossValue()
        }
        const [ahead, here, behind] = [at(h), at(0), at(-h)]
        variable.assign(tf.tensor(values, variable.shape))
        // The loss is piecewise smooth (ReLU and max-pool choices switch): a switch within h of the
        // point bends one side's difference, never both, so the gradient matches at least one side.
        const close = (numeric: number) => Math.abs(grad[k] - numeric) < 1e-3 + 0.01 * Math.abs(numeric)
        expect(close((ahead - here) / h) || close((here - behind) / h)).toBe(true)
      }
    })

  it('mixes κ·natural + (1 − κ)·robust along the schedule, inside a training step', () => {
    const built = { model, forward: (v: tf.Tensor4D, training: boolean) => model.forward(v, { training }) }
    const base = (logits: tf.Tensor2D, l: tf.Tensor1D) => crossEntropy(logits, l)
    const d = defence({ epsilon: 0.1, rampStart: 0, rampEnd: 1 })
    const loss = lossWithDefence(d, built, { height: 4, width: 4, channels: 1 }, 0, base)
    const batch = { images: data, indices: Int32Array.from([0, 1, 2, 3, 4]), progress: 0.5 }
    const natural = base(model.forward(x()), y()).dataSync()[0]
    const robust = crownIbpRobustLoss(model, sequentialLayers(model)!, x(), y(), 0.05, 0.5).dataSync()[0]
    expect(loss(model.forward(x()), y(), batch).dataSync()[0]).toBeCloseTo(0.5 * natural + 0.5 * robust, 5)
    const { grads } = tf.variableGrads(() => loss(model.forward(x()), y(), batch), model.trainableVariables())
    for (const g of Object.values(grads)) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true)
  })

  it('refuses a model it cannot bound, naming the architecture', async () => {
    const { createModel } = await import('../../../src-main/lab/models/model')
    const resnet = createModel({ arch: 'resnet18', inputShape: [8, 8, 3], numClasses: 3, width: 0.0625 })
    const built = { model: resnet, forward: (v: tf.Tensor4D) => resnet.forward(v) }
    expect(() => lossWithDefence(defence(), built, { height: 8, width: 8, channels: 3 }, 0, (l, t) => crossEntropy(l, t))).toThrow(
      /resnet18/
    )
  })
})
