/**
 * Attack wall times on a trained cnn-small, 1,000 MNIST test images, wasm backend, whole batch at
 * once: FGSM, PGD-10, PGD-100 and AutoAttack standard, and the ratio AutoAttack / PGD-100.
 *
 *   node --import tsx bench/attacks.ts [--eps 0.3] [--n 1000] [--skip-aa]
 *
 * The model (cnn-small, width 1) is trained here on 6,000 MNIST training images for 2 epochs
 * (Adam 1e-3), cached in the OS temp dir. Results are printed and written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs-core'
import { initEngine } from '../src-main/lab/engine/init'
import { classifierFromModel } from '../src-main/lab/attacks/classifier'
import { attacks } from '../src-main/lab/attacks/index'
import { parseEpsilon } from '../src-main/api/epsilon'
import { accuracy, loadMnist, trainedMnistModel } from '../test/unit/attacks/fixtures'

const argv = process.argv.slice(2)
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : fallback
}
const eps = parseEpsilon(opt('eps', '0.3'))
const n = Number(opt('n', '1000'))

const info = await initEngine('wasm')
const t0 = Date.now()
const data = await loadMnist(6000, n)
const model = await trainedMnistModel({ arch: 'cnn-small', width: 1, trainImages: 6000, epochs: 2, seed: 1 }, data.train)
tf.dispose([data.train.x, data.train.y])
const { x, y } = data.test
const classifier = classifierFromModel(model)
const clean = accuracy((v) => classifier.logits(v), x, y)
console.log(
  `backend ${info.name}; model ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; clean accuracy ${(clean * 100).toFixed(1)}% on ${n} images; ε = ${eps}; load ${os.loadavg()[0].toFixed(1)}`
)
// Warm-up: inference caches and kernel set-up are not part of any attack's time.
;(
  await attacks.fgsm.run(classifier, tf.slice(x, [0, 0, 0, 0], [8, -1, -1, -1]) as tf.Tensor4D, tf.slice(y, [0], [8]) as tf.Tensor1D, {
    norm: 'Linf',
    epsilon: eps,
    seed: 0
  })
).adversarial.dispose()

interface Row {
  attack: string
  seconds: number
  accuracy: number
  loadAverage: number
  stages?: unknown
}
const rows: Row[] = []
const plan: Array<[string, string, Record<string, unknown>]> = [
  ['FGSM', 'fgsm', {}],
  ['PGD-10', 'pgd', { steps: 10 }],
  ['PGD-100', 'pgd', { steps: 100, stepSize: 0.01 }],
  ...(argv.includes('--skip-aa') ? [] : [['AutoAttack standard', 'autoattack', {}] as [string, string, Record<string, unknown>]])
]
for (const [label, id, settings] of plan) {
  const started = Date.now()
  const result = await attacks[id].run(classifier, x, y, { norm: 'Linf', epsilon: eps, seed: 0, ...settings })
  const seconds = (Date.now() - started) / 1000
  const acc = accuracy((v) => classifier.logits(v), result.adversarial, y)
  result.adversarial.dispose()
  rows.push({ attack: label, seconds, accuracy: acc, loadAverage: os.loadavg()[0], ...(result.stages ? { stages: result.stages } : {}) })
  console.log(
    `${label.padEnd(20)} ${seconds.toFixed(1).padStart(8)} s   accuracy ${(acc * 100).toFixed(1)}%${result.stages ? '   ' + result.stages.map((s) => `${s.id}: ${s.robustBefore}→${s.robustAfter} in ${s.seconds.toFixed(1)} s`).join(', ') : ''}`
  )
}
const aa = rows.find((r) => r.attack.startsWith('AutoAttack'))
const pgd100 = rows.find((r) => r.attack === 'PGD-100')!
if (aa) console.log(`AutoAttack / PGD-100 time: ${(aa.seconds / pgd100.seconds).toFixed(2)}`)

const here = path.dirname(fileURLToPath(import.meta.url))
mkdirSync(path.join(here, 'results'), { recursive: true })
const file = path.join(here, 'results', `attacks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(
  file,
  JSON.stringify(
    {
      backend: info.name,
      n,
      epsilon: eps,
      cleanAccuracy: clean,
      cpus: os.cpus().length,
      rows,
      aaOverPgd100: aa ? aa.seconds / pgd100.seconds : null
    },
    null,
    2
  )
)
console.log(`written ${path.relative(process.cwd(), file)}`)
