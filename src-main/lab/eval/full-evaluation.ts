/**
 * The full robustness evaluation of one model run: clean accuracy; FGSM, PGD and AutoAttack at the
 * headline ε; a PGD ε-curve up to the sanity ε; Square (black-box) and, if asked, a transfer attack
 * from a surrogate; PGD through BPDA/EOT when the model has a toy layer; IBP certified accuracy and
 * the global Lipschitz bound where the architecture allows; CLEVER and the local Lipschitz estimate;
 * the gradient-masking checks and their verdict; a gallery. Budgets: budgets.ts.
 */
import type { EvalRunConfig } from '../../api/run-configs'
import type { Norm } from '../attacks/types'
import type { JobContext } from '../jobs/job-context'
import { JobFailure } from '../jobs/job-context'
import { BUDGETS, cleverRadius, defaultCurve } from './budgets'
import { defaultEpsilon } from '../../api/evaluation'
import { EvalSession } from './session'
import { accuracyOf, meanStd } from './metrics'
import { sequentialLayers } from './sequential'
import { certifyIbp } from './ibp'
import { crownBesideIbp } from '../certify/crown-beside-ibp'
import { evaluateSmoothing } from '../certify/smoothing-evaluation'
import { globalLipschitz } from './lipschitz'
import { cleverScore } from './clever'
import { logitShape, maxLogitChange, zeroGradientShare } from './diagnostics/probes'
import { runChecks, verdictOf, type MaskingEvidence } from './diagnostics/checks'
import { formatEpsilon } from '../../api/epsilon'
import { attackDeclaration } from '../../api/attacks'
import { spatialResultKey } from '../../api/attacks/spatial'

const seedsOf = (seed: number, repeats: number): number[] => Array.from({ length: repeats }, (_, i) => seed + i)

export async function runFullEvaluation(ctx: JobContext, config: EvalRunConfig): Promise<Record<string, unknown>> {
  const input = ctx.spec.inputs.targets?.[0]
  if (!input) throw new JobFailure('this evaluation names no model run to evaluate')
  const budget = BUDGETS[config.budget]
  const norm = config.norm as Norm
  const session = await EvalSession.open(ctx, config.n ?? budget.n, config.workers)
  const started = Date.now()
  const target = session.load(input, config.seed)
  const timings: Record<string, number> = {}
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now()
    const r = await f()
    timings[name] = (timings[name] ?? 0) + (Date.now() - t0) / 1000
    return r
  }
  try {
    const size = session.shape[0] * session.shape[1] * session.shape[2]
    const epsilon = (config.epsilon as number | undefined) ?? defaultEpsilon(norm, session.shape[2])
    const curve = ((config.epsilons as number[] | undefined) ?? defaultCurve(epsilon, norm, size)).slice().sort((a, b) => a - b)
    const seeds = seedsOf(config.seed, config.repeats)
    const clean = await timed('clean', () => session.clean(target, config.seed))
    const layer = target.classifier.layer
    ctx.log(
      'info',
      `Full evaluation (${config.budget}) of "${input.name}" at ε=${formatEpsilon(epsilon)} (${norm}); clean accuracy ${(clean.accuracy * 100).toFixed(2)}%.`
    )

    const at = (acc: Record<string, number[]>, key: string, v: number) => (acc[key] ??= []).push(v)
    const onFirst = (predictions: Int32Array, m: number) => accuracyOf(predictions.subarray(0, m), session.data.labels.subarray(0, m))
    const results: Record<string, number[]> = {}
    const curvePoints: Record<number, number[]> = {}
    for (const seed of seeds) {
      const base = { norm, epsilon, seed }
      const fgsm = await timed('fgsm', () => session.attack(target, clean, { attackId: 'fgsm', params: base, phase: 'FGSM' }))
      at(results, 'fgsm', fgsm.accuracy)
      const pgd = await timed('pgd', () =>
        session.attack(target, clean, {
          attackId: 'pgd',
          params: { ...base, ...budget.pgd },
          keep: seed === config.seed ? budget.gallery : 0,
          phase: `PGD-${budget.pgd.steps}`
        })
      )
      at(results, 'pgd', pgd.accuracy)
      if (seed === config.seed) await session.gallery(target, clean, pgd.outcome, 'pgd', norm, epsilon)
      const aaName = budget.autoattack.version === 'standard' ? 'autoattack' : `autoattack-${budget.autoattack.version}`
      const aa = await timed('autoattack', () =>
        session.attack(target, clean, {
          attackId: aaName,
          params: base,
          n: budget.autoattack.n,
          phase: `AutoAttack (${budget.autoattack.version})`
        })
      )
      at(results, 'autoattack', aa.accuracy)
      at(results, 'fgsm@autoattack', onFirst(fgsm.outcome.predictions, aa.n))
      at(results, 'pgd@autoattack', onFirst(pgd.outcome.predictions, aa.n))
      const square = await timed('square', () =>
        session.attack(target, clean, {
          attackId: 'square',
          params: { ...base, queries: budget.square.queries },
          n: budget.square.n,
          phase: `Square (${budget.square.queries} queries)`
        })
      )
      at(results, 'square', square.accuracy)
      at(results, 'pgd@square', onFirst(pgd.outcome.predictions, square.n))
      if (config.spatial) {
        // Spatial attacks ignore ε: filed under norm 'spatial' at their rotation bound (api/attacks/spatial.ts).
        for (const [attackId, n] of [
          ['spatial-random', undefined],
          ['spatial-grid', budget.square.n]
        ] as const) {
          const spatial = await timed('spatial', () =>
            session.attack(target, clean, {
              attackId,
              recordAt: spatialResultKey(attackDeclaration(attackId), {}),
              params: base,
              n,
              phase: attackId === 'spatial-grid' ? 'spatial grid (775 motions)' : 'spatial random-10'
            })
          )
          at(results, attackId, spatial.accuracy)
        }
      }
      if (ctx.spec.inputs.surrogate) {
        const transfer = await timed('transfer', () =>
          session.attack(target, clean, {
            attackId: 'pgd',
            recordAs: 'transfer-pgd',
            params: { ...base, ...budget.pgd },
            surrogate: ctx.spec.inputs.surrogate,
            phase: 'transfer PGD'
          })
        )
        at(results, 'transfer', transfer.accuracy)
      }
      if (layer) {
        const adaptiveName = `pgd+${layer.nonDifferentiable ? 'bpda' : ''}${layer.nonDifferentiable && layer.randomised ? '+' : ''}${layer.randomised ? 'eot' : ''}`
        const adaptive = await timed('adaptive', () =>
          session.attack(target, clean, {
            attackId: 'pgd',
            recordAs: adaptiveName,
            params: { ...base, steps: budget.adaptive.steps, restarts: 1 },
            adaptive: { eotSamples: budget.adaptive.eotSamples },
            phase: `PGD through ${adaptiveName.slice(4).toUpperCase()}`
          })
        )
        at(results, 'adaptive', adaptive.accuracy)
      }
      // Every point of the curve is its own 'pgd-curve' row (the headline ε too), so the curve reads
      // from one attack name.
      for (const e of curve) {
        const acc = (
          await timed('curve', () =>
            session.attack(target, clean, {
              attackId: 'pgd',
              recordAs: 'pgd-curve',
              params: { norm, epsilon: e, seed, steps: budget.curve.steps, restarts: 1 },
              n: budget.curve.n,
              phase: `ε-curve: PGD-${budget.curve.steps} at ε=${formatEpsilon(e)}`
            })
          )
        ).accuracy
        ;(curvePoints[e] ??= []).push(acc)
      }
    }
    const mean = (key: string) => (results[key] ? meanStd(results[key]).mean : null)

    // Certification and the global bound: weights of sequential, BatchNorm-free models only.
    // A layer that changes the input (quantisation, random resize) is outside what the bounds model:
    // they would be unsound for the deployed model. Gradient truncation is the identity forward.
    const boundable = !layer || layer.defence.kind === 'gradient-truncation'
    const layers = boundable ? sequentialLayers(target.model) : null
    if (!boundable)
      ctx.log(
        'info',
        `IBP and the global Lipschitz bound are skipped: the ${layer!.defence.kind} layer changes the input in a way the bounds do not model.`
      )
    else if (layers && norm === 'Linf') {
      await timed('ibp and crown', () => {
        for (const e of curve) {
          session.check()
          const r = certifyIbp(layers, session.data.images, session.data.labels, session.shape, e)
          ctx.record({
            type: 'result',
            runId: input.runId,
            attack: 'ibp',
            norm,
            epsilon: e,
            seed: 0,
            n: session.data.n,
            accuracy: r.certifiedAccuracy,
            cleanAccuracy: clean.accuracy,
            params: { method: 'interval bound propagation (certified accuracy)', defence: target.defence },
            seconds: null,
            samples: {
              indices: session.data.indices,
              labels: session.data.labels,
              cleanPredictions: clean.predictions,
              adversarialPredictions: Int32Array.from(r.certified, (c, i) => (c ? session.data.labels[i] : -1)),
              perturbationNorms: null
            }
          })
          // CROWN beside it, on the budget's first samples (a second or two each on cnn-small).
          const m = Math.min(budget.crown.n, session.data.n)
          ctx.progress({ phase: `CROWN at ε=${formatEpsilon(e)}`, step: curve.indexOf(e), total: curve.length })
          const t0 = Date.now()
          const c = crownBesideIbp(layers, session.data, session.shape, e, m, r.certified, clean.predictions)
          const labels = session.data.labels.subarray(0, m)
          ctx.record({
            type: 'result',
            runId: input.runId,
            attack: 'crown',
            norm,
            epsilon: e,
            seed: 0,
            n: m,
            accuracy: c.certifiedAccuracy,
            cleanAccuracy: accuracyOf(clean.predictions.subarray(0, m), labels),
            params: {
              method: 'CROWN linear bounds (certified accuracy)',
              preActivationBounds: c.intermediate,
              crownComputedOn: c.computed,
              defence: target.defence
            },
            seconds: (Date.now() - t0) / 1000,
            samples: {
              indices: session.data.indices.subarray(0, m),
              labels,
              cleanPredictions: clean.predictions.subarray(0, m),
              adversarialPredictions: Int32Array.from(c.certified, (v, i) => (v ? labels[i] : -1)),
              perturbationNorms: null
            }
          })
        }
      })
    } else if (boundable)
      ctx.log(
        'info',
        layers
          ? 'IBP certification is computed for the L∞ norm only.'
          : `IBP and the global Lipschitz bound need a sequential model without BatchNorm (mlp, cnn-small); ${target.model.spec.arch} is not one.`
      )
    if (layers) {
      const lip = await timed('lipschitz', () => globalLipschitz(layers, session.shape))
      for (const n of ['Linf', 'L2'] as const)
        ctx.record({
          type: 'score',
          runId: input.runId,
          metric: 'lipschitz-global',
          norm: n,
          value: lip[n],
          details: { ...lip, method: 'product of layer operator norms' }
        })
    }

    // Randomised smoothing: black-box, so every model (ResNet-18, toy layers) gets its L2 certificate.
    // σ is the model's own when it was trained with Gaussian noise, else Cohen et al.'s middle 0.25.
    const sigma = target.defence?.kind === 'gaussian-noise' ? target.defence.sigma : 0.25
    const smoothingN = Math.min(budget.smoothing.n, session.data.n)
    const smoothing = await timed('smoothing', () =>
      evaluateSmoothing(
        target.classifier,
        session.data,
        session.shape,
        smoothingN,
        { sigma, n0: 100, n: budget.smoothing.copies, alpha: 0.001 },
        config.seed,
        (done) => {
          session.check()
          ctx.progress({ phase: `randomised smoothing (σ=${sigma})`, step: done, total: smoothingN })
        }
      )
    )
    const smoothingLabels = session.data.labels.subarray(0, smoothingN)
    const smoothingParams = {
      method: 'randomised smoothing (certified accuracy)',
      sigma,
      n0: 100,
      n: budget.smoothing.copies,
      alpha: 0.001,
      abstained: smoothing.predictions.filter((p) => p.prediction < 0).length
    }
    for (const { radius, accuracy } of smoothing.atRadii)
      ctx.record({
        type: 'result',
        runId: input.runId,
        attack: 'smoothing',
        norm: 'L2',
        epsilon: radius,
        seed: config.seed,
        n: smoothingN,
        accuracy,
        cleanAccuracy: accuracyOf(clean.predictions.subarray(0, smoothingN), smoothingLabels),
        params: { ...smoothingParams, defence: target.defence },
        seconds: null,
        samples: {
          indices: session.data.indices.subarray(0, smoothingN),
          labels: smoothingLabels,
          cleanPredictions: clean.predictions.subarray(0, smoothingN),
          adversarialPredictions: Int32Array.from(smoothing.predictions, (p, i) =>
            p.prediction === smoothingLabels[i] && p.radius >= radius ? p.prediction : -1
          ),
          perturbationNorms: null
        }
      })
    ctx.record({
      type: 'score',
      runId: input.runId,
      metric: 'smoothing-radius',
      norm: 'L2',
      value: smoothing.averageRadius,
      details: {
        ...smoothingParams,
        meaning: 'mean certified L2 radius, 0 for wrong or abstained samples',
        samples: smoothing.predictions.map((p, i) => ({ sampleIndex: session.data.indices[i], label: smoothingLabels[i], ...p }))
      }
    })

    // CLEVER and the local Lipschitz estimate, in both norms, on the first correctly classified samples.
    for (const cleverNorm of ['Linf', 'L2'] as const) {
      const radius = cleverRadius(cleverNorm, cleverNorm === norm ? epsilon : defaultEpsilon(cleverNorm, session.shape[2]))
      const cleverSamples: { sampleIndex: number; score: number; lipschitz: number | null; maxGradientNorm: number; ks: number | null }[] =
        []
      await timed('clever', () => {
        for (let i = 0; i < session.data.n && cleverSamples.length < budget.clever.samples; i++) {
          if (clean.predictions[i] !== session.data.labels[i]) continue
          session.check()
          ctx.progress({ phase: `CLEVER (${cleverNorm})`, step: cleverSamples.length, total: budget.clever.samples })
          const s = cleverScore(
            target.classifier,
            session.data.images.subarray(i * size, (i + 1) * size),
            session.data.labels[i],
            cleverNorm,
            { ...budget.clever, radius },
            config.seed + i
          )
          cleverSamples.push({
            sampleIndex: session.data.indices[i],
            score: s.score,
            lipschitz: s.lipschitz,
            maxGradientNorm: s.maxGradientNorm,
            ks: s.fit?.ks ?? null
          })
        }
      })
      const cleverBudget = { ...budget.clever, radius, target: 'runner-up class' }
      ctx.record({
        type: 'score',
        runId: input.runId,
        metric: 'clever',
        norm: cleverNorm,
        value: meanStd(cleverSamples.map((s) => s.score)).mean,
        details: { budget: cleverBudget, samples: cleverSamples }
      })
      const local = cleverSamples.map((s) => s.maxGradientNorm).filter(Number.isFinite)
      ctx.record({
        type: 'score',
        runId: input.runId,
        metric: 'lipschitz-local',
        norm: cleverNorm,
        value: local.length ? meanStd(local).mean : null,
        details: {
          method: 'largest gradient norm (dual norm) of the top-2 margin in the CLEVER ball, mean over samples',
          max: local.length ? Math.max(...local) : null,
          budget: cleverBudget
        }
      })
    }

    // Checks 4–6 and the verdict.
    const probeN = Math.min(budget.probes, session.data.n)
    const probeImages = session.data.images.subarray(0, probeN * size)
    const include = Uint8Array.from({ length: probeN }, (_, i) => (clean.predictions[i] === session.data.labels[i] ? 1 : 0))
    const probes = await timed('probes', () => ({
      zero: zeroGradientShare(target.classifier, probeImages, session.data.labels.subarray(0, probeN), include),
      shape: logitShape(target.classifier, probeImages),
      change: maxLogitChange(target.classifier, session.data.images.subarray(0, Math.min(probeN, 100) * size))
    }))
    const evidence: MaskingEvidence = {
      numClasses: target.classifier.numClasses,
      n: session.data.n,
      epsilon,
      cleanAccuracy: clean.accuracy,
      fgsm: mean('fgsm'),
      pgd: mean('pgd'),
      autoattack: results.autoattack
        ? { accuracy: mean('autoattack')!, fgsm: mean('fgsm@autoattack')!, pgd: mean('pgd@autoattack')! }
        : null,
      square: results.square ? { accuracy: mean('square')!, pgd: mean('pgd@square')! } : null,
      transfer: mean('transfer'),
      adaptive: mean('adaptive'),
      hasMaskingLayers: !!layer,
      curve: curve.map((e) => ({ epsilon: e, accuracy: meanStd(curvePoints[e]).mean })),
      zeroGradientShare: probes.zero,
      probabilityLike: probes.shape.probabilityLike,
      medianTopLogitGap: probes.shape.medianTopLogitGap,
      maxLogitChange: probes.change
    }
    const checks = runChecks(evidence)
    const { verdict, fired } = verdictOf(checks)
    ctx.record({ type: 'verdict', runId: input.runId, verdict, fired, checks })
    ctx.log(
      verdict === 'no' ? 'info' : 'warn',
      `Suspected gradient masking: ${verdict}${fired.length ? ` (checks ${fired.join(', ')} fired)` : ''}.`
    )
    const seconds = (Date.now() - started) / 1000
    ctx.log(
      'info',
      `Full evaluation took ${seconds.toFixed(1)} s: ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}.`
    )
    const spatial = config.spatial ? { random: mean('spatial-random'), grid: mean('spatial-grid') } : undefined
    return {
      cleanAccuracy: clean.accuracy,
      fgsm: evidence.fgsm,
      pgd: evidence.pgd,
      autoattack: evidence.autoattack?.accuracy,
      square: evidence.square?.accuracy,
      spatial,
      verdict,
      fired,
      seconds,
      timings,
      workers: session.pool.size
    }
  } finally {
    target.dispose()
    await session.close()
  }
}
