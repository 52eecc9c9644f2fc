/**
 * A built-in model as a plain list of layers, for the analyses that need the weights themselves
 * (IBP certification, the global Lipschitz bound). mlp and cnn-small are sequential and have no
 * BatchNorm; resnet18 (residual, BatchNorm) is not listed here and those analyses say so.
 */
import type { Model } from '../models/model'

export type SequentialLayer =
  /** (x − mean) / std per channel: y = x·scale + shift. */
  | { kind: 'normalise'; scale: number[]; shift: number[] }
  /** 'same'-padded conv, stride 1, HWIO filter, then ReLU when `relu`. */
  | { kind: 'conv'; name: string; filter: Float32Array; shape: [number, number, number, number]; bias: Float32Array; relu: boolean }
  | { kind: 'maxpool'; size: 2 }
  | { kind: 'flatten' }
  /** y = x·W + b, W [in, out], then ReLU when `relu`. */
  | { kind: 'linear'; name: string; weight: Float32Array; inputs: number; outputs: number; bias: Float32Array; relu: boolean }

export function sequentialLayers(model: Model): SequentialLayer[] | null {
  const { spec } = model
  const values = (name: string) => Float32Array.from(model.get(name).dataSync())
  const normalise: SequentialLayer = {
    kind: 'normalise',
    scale: spec.std.map((s) => 1 / s),
    shift: spec.mean.map((m, i) => -m / spec.std[i])
  }
  const linear = (name: string, relu: boolean): SequentialLayer => {
    const w = model.get(`${name}.weight`)
    return {
      kind: 'linear',
      name,
      weight: values(`${name}.weight`),
      inputs: w.shape[0]!,
      outputs: w.shape[1]!,
      bias: values(`${name}.bias`),
      relu
    }
  }
  const conv = (name: string): SequentialLayer => ({
    kind: 'conv',
    name,
    filter: values(`${name}.weight`),
    shape: model.get(`${name}.weight`).shape as [number, number, number, number],
    bias: values(`${name}.bias`),
    relu: true
  })
  switch (spec.arch) {
    case 'mlp':
      return [normalise, { kind: 'flatten' }, linear('fc1', true), linear('fc2', true), linear('fc3', false)]
    case 'cnn-small':
      return [
        normalise,
        conv('conv1'),
        { kind: 'maxpool', size: 2 },
        conv('conv2'),
        { kind: 'maxpool', size: 2 },
        { kind: 'flatten' },
        linear('fc1', true),
        linear('fc2', false)
      ]
    default:
      return null
  }
}
