/**
 * CROWN's certified accuracy for an evaluation that already has IBP's, spending CROWN's cost only
 * where it can change the answer: a sample IBP certified stays certified (CROWN's certificate keeps
 * the larger bound, never below IBP's), and a misclassified one cannot be (the bound is below the
 * margin at x itself, which is negative).
 */
import type { SequentialLayer } from '../eval/sequential'
import { certifyCrown, type CrownOptions } from './crown'

export interface CrownBesideIbp {
  /** Per sample (the first `n`): 1 when certified robust at ε. */
  certified: Uint8Array
  certifiedAccuracy: number
  /** Samples CROWN itself was run on. */
  computed: number
  intermediate: Record<string, 'interval' | 'crown'>
}

export function crownBesideIbp(
  layers: SequentialLayer[],
  data: { images: Float32Array; labels: Int32Array },
  shape: [number, number, number],
  epsilon: number,
  n: number,
  ibpCertified: Uint8Array,
  cleanPredictions: Int32Array,
  options: CrownOptions = {}
): CrownBesideIbp {
  const size = shape[0] * shape[1] * shape[2]
  const certified = Uint8Array.from(ibpCertified.subarray(0, n))
  const open: number[] = []
  for (let i = 0; i < n; i++) if (!certified[i] && cleanPredictions[i] === data.labels[i]) open.push(i)
  let intermediate: Record<string, 'interval' | 'crown'> = {}
  if (open.length) {
    const images = new Float32Array(open.length * size)
    open.forEach((i, k) => images.set(data.images.subarray(i * size, (i + 1) * size), k * size))
    const r = certifyCrown(
      layers,
      images,
      Int32Array.from(open, (i) => data.labels[i]),
      shape,
      epsilon,
      options
    )
    open.forEach((i, k) => (certified[i] = r.certified[k]))
    intermediate = r.intermediate
  }
  return { certified, certifiedAccuracy: n ? certified.reduce((a, b) => a + b, 0) / n : 0, computed: open.length, intermediate }
}
