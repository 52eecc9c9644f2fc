/**
 * The corruption evaluation job (run kind 'corruptions'): every corruption × severity of the
 * request is generated once from the test images (lab/corruptions, seeded per image) and shown to
 * the measured model and, when there is one, the mCE baseline — the same corrupted images for both.
 * Each result is filed against its model run like an attack's: attack = the corruption, norm
 * "corruption", ε = the severity (api/corruption-names.ts), with per-sample outcomes; the mean over
 * every cell as "corruption-mean"; the mCE as a score of the measured run.
 */
import type { JobContext } from '../jobs/job-context'
import { JobFailure } from '../jobs/job-context'
import { EvalSession, type CleanResult } from '../eval/session'
import { accuracyOf, predict } from '../eval/metrics'
import type { LoadedTarget } from '../eval/model-input'
import { corruptImages } from '.'
import { meanCorruptionError } from './mce'
import { CORRUPTION_IDS, CORRUPTION_MEAN, CORRUPTION_NORM, corruptionTitle, type CorruptionId } from '../../api/corruption-names'
import { MCE_METRIC } from '../../api/corruptions'
import { evalAccuracyMetric } from '../../api/metrics'

export async function corruptionsJob(ctx: JobContext<'corruptions'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const inputs = ctx.spec.inputs.targets ?? []
  if (inputs.length === 0) throw new JobFailure('this corruption evaluation names no model run to measure')
  const ids = (config.corruptions ?? CORRUPTION_IDS) as CorruptionId[]
  const severities = [...new Set(config.severities)].sort((a, b) => a - b)
  // Predictions only (no attack to shard): the job's own thread is enough.
  const session = await EvalSession.open(ctx, config.n, 1)
  const models: Array<{ target: LoadedTarget; clean: CleanResult; errors: Record<string, number[]>; accuracies: number[] }> = []
  try {
    for (const input of inputs) {
      const target = session.load(input, config.seed)
      models.push({ target, clean: session.clean(target, config.seed), errors: {}, accuracies: [] })
    }
    const { images, labels, indices, n } = session.data
    const total = ids.length * severities.length
    let done = 0
    for (const id of ids) {
      for (const severity of severities) {
        session.check()
        const phase = `${corruptionTitle(id)}, severity ${severity}`
        ctx.progress({ phase, step: done, total })
        const started = Date.now()
        const corrupted = await corruptImages(images, session.shape, id, severity, config.seed, indices)
        for (const m of models) {
          const { predictions } = predict(m.target.classifier, corrupted, session.shape)
          const accuracy = accuracyOf(predictions, labels)
          ;(m.errors[id] ??= []).push(1 - accuracy)
          m.accuracies.push(accuracy)
          ctx.record({
            type: 'result',
            runId: m.target.input.runId,
            attack: id,
            norm: CORRUPTION_NORM,
            epsilon: severity,
            seed: config.seed,
            n,
            accuracy,
            cleanAccuracy: m.clean.accuracy,
            params: { severity, defence: m.target.defence },
            seconds: (Date.now() - started) / 1000,
            samples: {
              indices,
              labels,
              cleanPredictions: m.clean.predictions,
              adversarialPredictions: predictions,
              perturbationNorms: null
            }
          })
          ctx.metrics([{ name: evalAccuracyMetric(id, CORRUPTION_NORM, severity), step: config.seed, value: accuracy }])
        }
        ctx.phaseEnd()
        done++
      }
    }
    ctx.progress({ phase: 'summary', step: total, total })
    for (const m of models) {
      const meanAccuracy = m.accuracies.reduce((a, b) => a + b, 0) / m.accuracies.length
      ctx.record({
        type: 'result',
        runId: m.target.input.runId,
        attack: CORRUPTION_MEAN,
        norm: CORRUPTION_NORM,
        epsilon: 0,
        seed: config.seed,
        n,
        accuracy: meanAccuracy,
        cleanAccuracy: m.clean.accuracy,
        params: { corruptions: ids, severities, defence: m.target.defence },
        seconds: null
      })
      ctx.log(
        'info',
        `${m.target.input.name}: mean accuracy ${(meanAccuracy * 100).toFixed(2)}% over ${ids.length} corruptions × ${severities.length} severities on ${n} images (clean ${(m.clean.accuracy * 100).toFixed(2)}%).`
      )
    }
    const [measured, baseline] = models
    if (!baseline) return { meanAccuracy: measured.accuracies.reduce((a, b) => a + b, 0) / measured.accuracies.length }
    const mce = meanCorruptionError({
      model: measured.errors,
      baseline: baseline.errors,
      cleanError: { model: 1 - measured.clean.accuracy, baseline: 1 - baseline.clean.accuracy }
    })
    ctx.record({
      type: 'score',
      runId: measured.target.input.runId,
      metric: MCE_METRIC,
      norm: CORRUPTION_NORM,
      value: mce.mce,
      details: {
        baselineRunId: baseline.target.input.runId,
        relativeMce: mce.relativeMce,
        perCorruption: mce.perCorruption,
        severities,
        n,
        seed: config.seed
      }
    })
    const pct = (v: number | null) => (v === null ? 'undefined (the baseline made no error)' : `${(v * 100).toFixed(1)}%`)
    ctx.log(
      'info',
      `${measured.target.input.name}: mCE ${pct(mce.mce)}, relative mCE ${pct(mce.relativeMce)} against ${baseline.target.input.name}.`
    )
    return { mce: mce.mce, relativeMce: mce.relativeMce }
  } finally {
    for (const m of models) m.target.dispose()
    await session.close()
  }
}
