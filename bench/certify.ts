/**
 * `npm run bench -- certify`: what a certificate costs next to an attack, on a trained cnn-small and
 * the same 100 MNIST test images — CROWN (with IBP beside it) at a few L∞ ε, randomised smoothing
 * with n = 1,000 noisy copies per image (n0 = 100, α = 0.001, σ = 0.25), and one PGD-100 at
 * ε = 0.3 measured in the same run; each time is also given as a multiple of PGD-100's.
 *
 * The model is the attack tests' cached one (cnn-small, width 1, 6,000 training images, 2 epochs of
 * Adam): plainly trained, so its certified accuracies at large ε are low; the point is the time.
 *
 * Measured 2026-12-04 (wasm, 2 cores, load average 1.2): PGD-100 2.4 s; CROWN 42–44 s per ε
 * (≈ 18× PGD-100; certified 92% vs IBP's 10% at ε = 0.01, 0% for both at 0.05 and 0.1); smoothing
 * 41.8 s (≈ 17× PGD-100; 85% / 79% / 66% certified at L2 radius 0 / 0.25 / 0.5, 5 abstained).
 */
import os from 'node:os'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../src-main/lab/engine/init'
import { classifierFromModel } from '../src-main/lab/attacks/classifier'
import { attacks } from '../src-main/lab/attacks/index'
import { sequentialLayers } from '../src-main/lab/eval/sequential'
import { certifyIbp } from '../src-main/lab/eval/ibp'
import { certifyCrown } from '../src-main/lab/certify/crown'
import { certifiedAccuracyAtRadii, certifySmoothed, type SmoothedPrediction } from '../src-main/lab/certify/smoothing'
import { accuracy, loadMnist, trainedMnistModel } from '../test/unit/attacks/fixtures'

const N = 100
const CROWN_EPSILONS = [0.01, 0.05, 0.1]
const SMOOTHING = { sigma: 0.25, n0: 100, n: 1000, alpha: 0.001, batchSize: 550 }
const RADII = [0, 0.25, 0.5, 0.75, 1]

export async function certifySection(): Promise<object> {
  const backend = await initEngine()
  const data = await loadMnist(6000, N)
  const model = await trainedMnistModel({ arch: 'cnn-small', width: 1, trainImages: 6000, epochs: 2, seed: 1 }, data.train)
  tf.dispose([data.train.x, data.train.y])
  const { x, y } = data.test
  const classifier = classifierFromModel(model)
  const images = x.dataSync() as Float32Array
  const labels = Int32Array.from(y.dataSync())
  const shape: [number, number, number] = [28, 28, 1]
  const clean = accuracy((v) => classifier.logits(v), x, y)
  console.log(
    `certify benchmark on backend ${backend.name}: cnn-small, ${N} MNIST test images, clean accuracy ${(clean * 100).toFixed(1)}%, load ${os.loadavg()[0].toFixed(1)}`
  )
  const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
    const t0 = performance.now()
    const r = await f()
    return [r, (performance.now() - t0) / 1000]
  }
  // Warm-up: kernel set-up is not part of any timing.
  ;(
    await attacks.fgsm.run(classifier, tf.slice(x, [0, 0, 0, 0], [8, -1, -1, -1]) as tf.Tensor4D, tf.slice(y, [0], [8]) as tf.Tensor1D, {
      norm: 'Linf',
      epsilon: 0.3,
      seed: 0
    })
  ).adversarial.dispose()

  const [pgd, pgdSeconds] = await time(() =>
    attacks.pgd.run(classifier, x, y, { norm: 'Linf', epsilon: 0.3, seed: 0, steps: 100, stepSize: 0.01 })
  )
  const pgdAccuracy = accuracy((v) => classifier.logits(v), pgd.adversarial, y)
  pgd.adversarial.dispose()
  console.log(`  PGD-100 (ε = 0.3): ${pgdSeconds.toFixed(1)} s, robust accuracy ${(pgdAccuracy * 100).toFixed(1)}%`)

  const layers = sequentialLayers(model)!
  const crown = []
  for (const epsilon of CROWN_EPSILONS) {
    const [ibp, ibpSeconds] = await time(() => certifyIbp(layers, images, labels, shape, epsilon))
    const [c, seconds] = await time(() => certifyCrown(layers, images, labels, shape, epsilon))
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length
    const row = {
      epsilon,
      seconds,
      ratioToPgd100: seconds / pgdSeconds,
      crownCertified: c.certifiedAccuracy,
      ibpCertified: ibp.certifiedAccuracy,
      ibpSeconds,
      meanCrownBound: mean(c.marginLowerBounds),
      meanBackSubstitutedBound: mean(c.backSubstitutedBounds),
      meanIbpBound: mean(ibp.marginLowerBounds),
      intermediate: c.intermediate
    }
    crown.push(row)
    console.log(
      `  CROWN ε = ${epsilon}: ${seconds.toFixed(1)} s (${row.ratioToPgd100.toFixed(2)}× PGD-100), certified ${(c.certifiedAccuracy * 100).toFixed(0)}% vs IBP ${(ibp.certifiedAccuracy * 100).toFixed(0)}% (IBP ${ibpSeconds.toFixed(2)} s); ` +
        `mean margin bound ${row.meanCrownBound.toFixed(3)} (back-substituted ${row.meanBackSubstitutedBound.toFixed(3)}) vs IBP ${row.meanIbpBound.toFixed(3)}; pre-activation bounds ${JSON.stringify(c.intermediate)}`
    )
  }

  const size = shape[0] * shape[1] * shape[2]
  const base = (noisy: Float32Array, count: number) =>
    tf.tidy(() => Int32Array.from(tf.argMax(model.forward(tf.tensor4d(noisy, [count, ...shape])), 1).dataSync()))
  const [smoothed, smoothingSeconds] = await time(() => {
    const out: SmoothedPrediction[] = []
    for (let i = 0; i < N; i++) out.push(certifySmoothed(base, images.subarray(i * size, (i + 1) * size), 10, SMOOTHING, i))
    return out
  })
  const atRadii = certifiedAccuracyAtRadii(smoothed, labels, RADII)
  const abstained = smoothed.filter((p) => p.prediction < 0).length
  console.log(
    `  smoothing (σ = ${SMOOTHING.sigma}, n0 = ${SMOOTHING.n0}, n = ${SMOOTHING.n}, α = ${SMOOTHING.alpha}): ${smoothingSeconds.toFixed(1)} s (${(smoothingSeconds / pgdSeconds).toFixed(2)}× PGD-100), ` +
      `${abstained} abstained; certified accuracy ${atRadii.map((r) => `${(r.accuracy * 100).toFixed(0)}% at ${r.radius}`).join(', ')}`
  )
  tf.dispose([x, y])
  return {
    backend: backend.name,
    n: N,
    cleanAccuracy: clean,
    pgd100: { epsilon: 0.3, seconds: pgdSeconds, accuracy: pgdAccuracy },
    crown,
    smoothing: {
      ...SMOOTHING,
      seconds: smoothingSeconds,
      ratioToPgd100: smoothingSeconds / pgdSeconds,
      abstained,
      certifiedAccuracy: atRadii
    },
    loadAverage: os.loadavg()[0]
  }
}
