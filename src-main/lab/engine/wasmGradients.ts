/**
 * Registers the gradient kernels the wasm backend lacks (or has only as slow scalar loops), built
 * from its fast forward kernels (see convGradients.ts). Without them `tf.grad` through any conv
 * throws "Kernel not registered" on wasm. Call once after the backend is chosen; repeat calls are
 * no-ops.
 */
import * as tf from '@tensorflow/tfjs-core'
import { conv2dFilterGradient, conv2dInputGradient, depthwiseFilterGradient, depthwiseInputGradient } from './convGradients'
import { type Pad } from './convGeometry'
import { maxPoolGradientValues } from './poolGradients'
import { heapOf } from './heap'
import { EXACT_KERNELS } from './exact'

const BACKEND = 'wasm'
let registered = false

interface ConvAttrs {
  strides: number | [number, number]
  pad: Pad
  dataFormat?: 'NHWC' | 'NCHW'
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
  dilations?: number | [number, number]
}

/**
 * A kernel receives bare TensorInfos; wrapping one as a Tensor for the op API must take its own
 * reference on the data, or disposing the wrapper would free the caller's tensor.
 */
function wrap(info: tf.TensorInfo): tf.Tensor {
  const engine = tf.engine()
  const t = engine.makeTensorFromTensorInfo(info)
  engine.backend.incRef(info.dataId)
  return t
}

function requireNhwc(kernel: string, attrs: ConvAttrs): void {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error(`${kernel} on wasm supports NHWC only, got ${attrs.dataFormat}`)
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }

function kernel(
  name: string,
  run: (inputs: Record<string, tf.Tensor>, attrs: ConvAttrs & Record<string, unknown>) => tf.Tensor
): tf.KernelConfig {
  return {
    kernelName: name,
    backendName: BACKEND,
    kernelFunc: ({ inputs, attrs }: KernelArgs) => {
      const a = (attrs ?? {}) as unknown as ConvAttrs & Record<string, unknown>
      requireNhwc(name, a)
      return tf.tidy(() => {
        const wrapped: Record<string, tf.Tensor> = {}
        for (const [k, v] of Object.entries(inputs)) if (v) wrapped[k] = wrap(v)
        return run(wrapped, a)
      })
    }
  }
}

const kernels: tf.KernelConfig[] = [
  kernel('Conv2DBackpropFilter', (i, a) =>
    conv2dFilterGradient(i.x as tf.Tensor4D, i.dy as tf.Tensor4D, a.filterShape as number[], a.strides, a.pad, a.dimRoundingMode)
  ),
  kernel('Conv2DBackpropInput', (i, a) =>
    conv2dInputGradient(a.inputShape as number[], i.dy as tf.Tensor4D, i.filter as tf.Tensor4D, a.strides, a.pad, a.dimRoundingMode)
  ),
  kernel('DepthwiseConv2dNativeBackpropInput', (i, a) =>
    depthwiseInputGradient(a.inputShape as number[], i.dy as tf.Tensor4D, i.filter as tf.Tensor4D, a.strides, a.pad, a.dimRoundingMode)
  ),
  kernel('DepthwiseConv2dNativeBackpropFilter', (i, a) =>
    depthwiseFilterGradient(i.x as tf.Tensor4D, i.dy as tf.Tensor4D, a.filterShape as number[], a.strides, a.pad, a.dimRoundingMode)
  )
]

/**
 * MaxPoolGrad works on the wasm heap in place: the output is allocated first (allocation may
 * grow the heap, which detaches earlier views), then x, dy and dx are viewed without copies.
 */
kernels.push({
  kernelName: 'MaxPoolGrad',
  backendName: BACKEND,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const heap = heapOf(backend)!
    const { input, dy } = inputs as { input: tf.TensorInfo; dy: tf.TensorInfo }
    const a = attrs as unknown as ConvAttrs & { filterSize: number | [number, number] }
    requireNhwc('MaxPoolGrad', a)
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      a.filterSize,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode
    )
    const out = heap.makeOutput(input.shape, 'float32')
    const dx = heap.typedArrayFromHeap(out)
    dx.fill(0)
    maxPoolGradientValues(heap.typedArrayFromHeap(input), heap.typedArrayFromHeap(dy), info, dx)
    return out
  }
})

/**
 * Identity without a copy. tfjs clones (Identity) every tensor it saves for a backward pass, and
 * wasm's Identity is a memcpy — a full copy of every saved activation, in time and in memory.
 * Tensors are immutable (a Variable's assign swaps its data id), so sharing the buffer under a
 * reference count is safe; it is what the cpu backend does.
 */
const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: BACKEND,
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo
    if (x.dtype === 'string') throw new Error('Identity of string tensors is not supported on wasm here')
    ;(backend as unknown as { incRef(id: object): void }).incRef(x.dataId)
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
  }
}
kernels.push(identityConfig)
kernels.push(...EXACT_KERNELS)

/** Adds (or replaces) the wasm gradient kernels. Idempotent; harmless when wasm is not loaded. */
export function registerWasmGradients(): void {
  if (registered) return
  for (const k of kernels) {
    if (tf.getKernel(k.kernelName, BACKEND)) tf.unregisterKernel(k.kernelName, BACKEND)
    tf.registerKernel(k)
  }
  registered = true
}

export const WASM_REPLACED_KERNELS = kernels.map((k) => k.kernelName)
