/**
 * Gradient definitions for the ops AdvLab differentiates through.
 *
 * tfjs-core's CommonJS build (what Node loads) ships no gradients — the `@tensorflow/tfjs` union
 * package registers them from ESM files that Node cannot import directly (extension-less
 * specifiers). So the engine registers its own, written from the standard derivative of each op.
 * A gradient that is already registered (e.g. by the union package, loaded along with
 * tfjs-node) is left alone. Input names follow tfjs's kernel definitions.
 */
import * as tf from '@tensorflow/tfjs-core'
import { exactSign } from './exact'

type Grads = Record<string, () => tf.Tensor>
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tfjs passes one tensor or a list, by kernel
type GradFn = (dy: any, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Grads
interface Def {
  kernelName: string
  inputsToSave?: string[]
  outputsToSave?: boolean[]
  gradFunc: GradFn
}

const run = <T extends tf.Tensor>(kernel: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): T =>
  tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T

/** Sums a broadcast gradient back to the shape of the operand it came from. */
function unbroadcast(g: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, g.shape)
  const s = axes.length > 0 ? tf.sum(g, axes) : g
  return tf.reshape(s, shape)
}

/** Transposes the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i)
  ;[perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2], perm[perm.length - 1]]
  return tf.transpose(x, perm)
}

const zeros = (x: tf.Tensor): tf.Tensor => tf.zerosLike(x)

/** Reshapes dy of a reduction so it broadcasts against the input again. */
function expandReduced(dy: tf.Tensor, inShape: number[], axisAttr: unknown): tf.Tensor {
  const axes = tf.util.parseAxisParam(axisAttr as number | number[], inShape)
  const kept = inShape.map((d, i) => (axes.includes(i) ? 1 : d))
  return tf.reshape(dy, kept)
}

function minMaxGrad(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap): Grads {
  const [x, y] = saved
  const axes = tf.util.parseAxisParam(attrs.reductionIndices as number | number[], x.shape)
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  return { x: () => tf.mul(tf.reshape(dy, kept), tf.cast(tf.equal(x, tf.reshape(y, kept)), 'float32')) }
}

const binary = (
  kernelName: string,
  fa: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  fb: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor
): Def => ({
  kernelName,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(fa(dy, a, b), a.shape), b: () => unbroadcast(fb(dy, a, b), b.shape) })
})

const unaryX = (kernelName: string, f: (dy: tf.Tensor, x: tf.Tensor, attrs: tf.NamedAttrMap) => tf.Tensor): Def => ({
  kernelName,
  inputsToSave: ['x'],
  gradFunc: (dy, [x], attrs) => ({ x: () => f(dy, x, attrs) })
})

const unaryY = (kernelName: string, f: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor): Def => ({
  kernelName,
  outputsToSave: [true],
  gradFunc: (dy, [y]) => ({ x: () => f(dy, y) })
})

const zeroGrad = (kernelName: string): Def => ({ kernelName, inputsToSave: ['x'], gradFunc: (_dy, [x]) => ({ x: () => zeros(x) }) })

const defs: Def[] = [
  binary(
    'Add',
    (dy) => dy,
    (dy) => dy
  ),
  binary(
    'Sub',
    (dy) => dy,
    (dy) => tf.neg(dy)
  ),
  binary(
    'Multiply',
    (dy, _a, b) => tf.mul(dy, b),
    (dy, a) => tf.mul(dy, a)
  ),
  binary(
    'RealDiv',
    (dy, _a, b) => tf.div(dy, b),
    (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))
  ),
  binary(
    'Maximum',
    (dy, a, b) => tf.mul(dy, tf.cast(tf.greaterEqual(a, b), 'float32')),
    (dy, a, b) => tf.mul(dy, tf.cast(tf.less(a, b), 'float32'))
  ),
  binary(
    'Minimum',
    (dy, a, b) => tf.mul(dy, tf.cast(tf.lessEqual(a, b), 'float32')),
    (dy, a, b) => tf.mul(dy, tf.cast(tf.greater(a, b), 'float32'))
  ),
  binary(
    'SquaredDifference',
    (dy, a, b) => tf.mul(dy, tf.mul(2, tf.sub(a, b))),
    (dy, a, b) => tf.mul(dy, tf.mul(2, tf.sub(b, a)))
  ),
  binary(
    'Pow',
    (dy, a, b) => tf.mul(dy, tf.mul(b, tf.pow(a, tf.sub(b, 1)))),
    (dy, a, b) => tf.mul(dy, tf.mul(tf.pow(a, b), tf.where(tf.greater(a, 0), tf.log(a), tf.zerosLike(a))))
  ),
  unaryX('Neg', (dy) => tf.neg(dy)),
  unaryX('Abs', (dy, x) => tf.mul(dy, exactSign(x))),
  unaryX('Square', (dy, x) => tf.mul(dy, tf.mul(2, x))),
  unaryX('Sqrt', (dy, x) => tf.div(dy, tf.mul(2, tf.sqrt(x)))),
  unaryX('Rsqrt', (dy, x) => tf.mul(dy, tf.mul(-0.5, tf.pow(x, -1.5)))),
  unaryX('Reciprocal', (dy, x) => tf.neg(tf.div(dy, tf.square(x)))),
  unaryY('Exp', (dy, y) => tf.mul(dy, y)),
  unaryX('Log', (dy, x) => tf.div(dy, x)),
  unaryX('Log1p', (dy, x) => tf.div(dy, tf.add(x, 1))),
  unaryY('Tanh', (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  unaryY('Sigmoid', (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  unaryX('Softplus', (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unaryX('Relu', (dy, x) => tf.mul(dy, tf.step(x))),
  unaryX('Relu6', (dy, x) => tf.mul(dy, tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6)), 'float32'))),
  unaryX('LeakyRelu', (dy, x, attrs) => tf.where(tf.greater(x, 0), dy, tf.mul(dy, attrs.alpha as number))),
  unaryY('Elu', (dy, y) => tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1)))),
  unaryX('ClipByValue', (dy, x, attrs) =>
    tf.where(
      tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number)),
      dy,
      tf.zerosLike(dy)
    )
  ),
  unaryX('Cast', (dy, x) => (x.dtype === 'float32' ? tf.cast(dy, 'float32') : zeros(x))),
  unaryX('Identity', (dy) => dy),
  unaryX('Reshape', (dy, x) => tf.reshape(dy, x.shape)),
  // ExpandDims names its input "input", not "x".
  { kernelName: 'ExpandDims', inputsToSave: ['input'], gradFunc: (dy, [input]) => ({ input: () => tf.reshape(dy, input.shape) }) },
  unaryX('Transpose', (dy, _x, attrs) => {
    const perm = attrs.perm as number[]
    const inverse = perm.map((_, i) => perm.indexOf(i))
    return tf.transpose(dy, inverse)
  }),
  unaryX('PadV2', (dy, x, attrs) => {
    const paddings = attrs.paddings as [number, number][]
    return tf.slice(
      dy,
      paddings.map((p) => p[0]),
      x.shape
    )
  }),
  unaryX('Slice', (dy, x, attrs) => {
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[])
    return tf.pad(
      dy,
      x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number])
    )
  }),
  unaryX('Reverse', (dy, _x, attrs) => tf.reverse(dy, attrs.dims as number[])),
  unaryX('Tile', (dy, x, attrs) => {
    const reps = attrs.reps as number[]
    // Fold each tiled axis into (reps, size) and sum the copies.
    const folded: number[] = []
    x.shape.forEach((d, i) => folded.push(reps[i], d))
    const summed = tf.sum(
      tf.reshape(dy, folded),
      folded.map((_, i) => i).filter((i) => i % 2 === 0)
    )
    return tf.reshape(summed, x.shape)
  }),
  unaryX('Sum', (dy, x, attrs) => tf.mul(expandReduced(dy, x.shape, attrs.axis), tf.onesLike(x))),
  unaryX('Mean', (dy, x, attrs) => {
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape)
    const count = axes.reduce((p, a) => p * x.shape[a], 1)
    return tf.mul(expandReduced(tf.div(dy, count), x.shape, attrs.axis), tf.onesLike(x))
  }),
  { kernelName: 'Max', inputsToSave: ['x'], outputsToSave: [true], gradFunc: minMaxGrad },
  { kernelName: 'Min', inputsToSave: ['x'], outputsToSave: [true], gradFunc: minMaxGrad },
  {
    kernelName: 'Softmax',
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => ({
      logits: () => {
        const dim = attrs.dim as number
        return tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), dim, true)))
      }
    })
  },
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const ta = attrs.transposeA as boolean
      const tb = attrs.transposeB as boolean
      // wasm's matMul is only fast untransposed (a transposed operand is 3–25× slower than an
      // explicit Transpose followed by a plain matMul), so spell the transposes out there.
      const mm = (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean): tf.Tensor =>
        tf.getBackend() === 'wasm' ? tf.matMul(tx ? swapLast(x) : x, ty ? swapLast(y) : y) : tf.matMul(x, y, tx, ty)
      const da = (): tf.Tensor =>
        !ta && !tb
          ? mm(dy, b, false, true)
          : !ta && tb
            ? mm(dy, b, false, false)
            : ta && !tb
              ? mm(b, dy, false, true)
              : mm(b, dy, true, true)
      const db = (): tf.Tensor =>
        !ta && !tb
          ? mm(a, dy, true, false)
          : !ta && tb
            ? mm(dy, a, true, false)
            : ta && !tb
              ? mm(a, dy, false, false)
              : mm(dy, a, true, true)
      return { a: () => unbroadcast(da(), a.shape), b: () => unbroadcast(db(), b.shape) }
    }
  },
  {
    kernelName: 'Select',
    inputsToSave: ['condition'],
    gradFunc: (dy, [c]) => ({
      condition: () => tf.zerosLike(c),
      t: () => tf.mul(dy, tf.cast(c, 'float32')),
      e: () => tf.mul(dy, tf.cast(tf.logicalNot(c), 'float32'))
    })
  },
  {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, [x, filter], attrs) => {
      const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as {
        strides: [number, number]
        pad: 'same' | 'valid'
        dimRoundingMode?: 'round'
        dataFormat?: string
      }
      if (tf.backend_util.tupleValuesAreOne(attrs.dilations as number) === false)
        throw new Error('conv2d gradient with dilation > 1 is not supported')
      return {
        x: () => run('Conv2DBackpropInput', { dy, filter }, { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape }),
        filter: () => run('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat, dimRoundingMode, filterShape: filter.shape })
      }
    }
  },
  {
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, [x, filter], attrs) => {
      const a = { strides: attrs.strides, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode, dilations: attrs.dilations }
      return {
        x: () => run('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...a, inputShape: x.shape }),
        filter: () => run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...a, filterShape: filter.shape })
      }
    }
  },
  {
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => ({
      x: () =>
        run(
          'MaxPoolGrad',
          { dy, input: x, output: y },
          { filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode }
        )
    })
  },
  {
    kernelName: 'AvgPool',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({
      x: () =>
        run(
          'AvgPoolGrad',
          { dy, input: x },
          { filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode }
        )
    })
  },
  zeroGrad('Sign'),
  zeroGrad('Round'),
  zeroGrad('Floor'),
  zeroGrad('Ceil'),
  zeroGrad('Step'),
  zeroGrad('OnesLike'),
  zeroGrad('ZerosLike'),
  zeroGrad('ArgMax'),
  zeroGrad('ArgMin'),
  { kernelName: 'OneHot', inputsToSave: ['indices'], gradFunc: (_dy, [i]) => ({ indices: () => tf.zerosLike(i) }) }
]

/**
 * Concat, Pack, Unpack and SplitV take or give lists of tensors: their gradients split or join dy
 * along the op's axis. Their inputs are named by index.
 */
const byIndex = (n: number, f: (i: number) => tf.Tensor): Grads => {
  const out: Grads = {}
  for (let i = 0; i < n; i++) out[String(i)] = () => f(i)
  return out
}
const asList = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(dy) ? dy : [dy])

const listDefs: Def[] = [
  { kernelName: 'AddN', gradFunc: (dy, saved) => byIndex(saved.length, () => dy) },
  {
    kernelName: 'Concat',
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0]
      const sizes = saved.map((t) => t.shape[axis])
      return byIndex(saved.length, (i) => tf.split(dy, sizes, axis)[i])
    }
  },
  { kernelName: 'Pack', gradFunc: (dy, saved, attrs) => byIndex(saved.length, (i) => tf.unstack(dy, attrs.axis as number)[i]) },
  { kernelName: 'Unpack', gradFunc: (dy, _s, attrs) => ({ value: () => tf.stack(asList(dy), attrs.axis as number) }) },
  { kernelName: 'SplitV', gradFunc: (dy, _s, attrs) => ({ x: () => tf.concat(asList(dy), attrs.axis as number) }) }
]

let registered = false

/** Registers every definition above whose kernel has no gradient yet. Idempotent. */
export function registerGradients(): void {
  if (registered) return
  for (const def of defs) if (!tf.getGradient(def.kernelName)) tf.registerGradient(def as unknown as tf.GradConfig)
  registerListGradients()
  registered = true
}

/** Ops over lists of tensors get every input saved (tfjs's saveAllInputs) so they know the count. */
function registerListGradients(): void {
  for (const def of listDefs) {
    if (tf.getGradient(def.kernelName)) continue
    const saveAllInputs = def.kernelName !== 'Unpack' && def.kernelName !== 'SplitV'
    tf.registerGradient({ ...def, saveAllInputs } as unknown as tf.GradConfig)
  }
}
