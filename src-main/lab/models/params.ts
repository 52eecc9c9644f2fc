/**
 * Parameter tables: every tensor of a model, in PyTorch state_dict order and naming, with its
 * shape here (HWIO convs, [in, out] linears) and how it is initialised.
 */
export type TorchLayout =
  /** conv weight: here [kh, kw, in, out], PyTorch [out, in, kh, kw] */
  | { kind: 'conv' }
  /** linear weight: here [in, out], PyTorch [out, in]; `flattenFrom` = [h, w, c] when its input
   * is a flattened feature map (NHWC here, NCHW in PyTorch), so rows are permuted too. */
  | { kind: 'linear'; flattenFrom?: [number, number, number] }
  | { kind: 'plain' }

export interface TensorDef {
  name: string
  shape: number[]
  torch: TorchLayout
  /** U(−b, b) with b = 1/sqrt(fanIn) (PyTorch's default Kaiming-uniform init), or a constant. */
  init: { uniformFanIn: number } | { constant: number }
  trainable: boolean
  /** PyTorch stores num_batches_tracked as int64. */
  torchDtype?: 'int64'
}

export function convDefs(name: string, k: number, cin: number, cout: number, bias: boolean): TensorDef[] {
  const fanIn = cin * k * k
  const defs: TensorDef[] = [
    { name: `${name}.weight`, shape: [k, k, cin, cout], torch: { kind: 'conv' }, init: { uniformFanIn: fanIn }, trainable: true }
  ]
  if (bias) defs.push({ name: `${name}.bias`, shape: [cout], torch: { kind: 'plain' }, init: { uniformFanIn: fanIn }, trainable: true })
  return defs
}

export function linearDefs(name: string, cin: number, cout: number, flattenFrom?: [number, number, number]): TensorDef[] {
  return [
    { name: `${name}.weight`, shape: [cin, cout], torch: { kind: 'linear', flattenFrom }, init: { uniformFanIn: cin }, trainable: true },
    { name: `${name}.bias`, shape: [cout], torch: { kind: 'plain' }, init: { uniformFanIn: cin }, trainable: true }
  ]
}

export function batchNormDefs(name: string, c: number): TensorDef[] {
  const plain = { kind: 'plain' } as const
  return [
    { name: `${name}.weight`, shape: [c], torch: plain, init: { constant: 1 }, trainable: true },
    { name: `${name}.bias`, shape: [c], torch: plain, init: { constant: 0 }, trainable: true },
    { name: `${name}.running_mean`, shape: [c], torch: plain, init: { constant: 0 }, trainable: false },
    { name: `${name}.running_var`, shape: [c], torch: plain, init: { constant: 1 }, trainable: false },
    { name: `${name}.num_batches_tracked`, shape: [], torch: plain, init: { constant: 0 }, trainable: false, torchDtype: 'int64' }
  ]
}
