/**
 * What every evaluation job shares: the test samples, the pool of shard workers, and recording one
 * attack's result (accuracy, per-sample outcomes, timing) for a model run.
 */
import path from 'node:path'
import type { AttackParams, Norm } from '../attacks/types'
import type { JobContext } from '../jobs/job-context'
import { JobCancelled, JobFailure } from '../jobs/job-context'
import type { ModelInput } from '../jobs/messages'
import { loadDatasetRecord, type LoadedDataset } from '../data/loader'
import type { AttackOutcome } from './attack-runner'
import { accuracyOf, predict } from './metrics'
import { loadTarget, type LoadedTarget } from './model-input'
import { ShardPool } from './pool'
import { writeGallery } from './gallery'
import os from 'node:os'
import { formatEpsilon } from '../../api/epsilon'
import { evalAccuracyMetric } from '../../api/metrics'

export interface CleanResult {
  predictions: Int32Array
  confidences: Float32Array
  accuracy: number
}

export class EvalSession {
  readonly pool: ShardPool
  readonly runDir: string
  private phaseStarted = Date.now()

  constructor(
    readonly ctx: JobContext,
    readonly data: LoadedDataset,
    workers: number
  ) {
    this.pool = new ShardPool(workers, ctx.spec.backend, () => ctx.cancelled())
    this.runDir = path.join(ctx.spec.dataDir, 'runs', String(ctx.spec.runId))
  }

  static async open(ctx: JobContext, n: number, workers?: number): Promise<EvalSession> {
    const record = ctx.spec.inputs.dataset
    if (!record) throw new JobFailure('this evaluation names no dataset')
    ctx.progress({ phase: 'loading data', step: 0, total: 1, message: record.name })
    const total = record.info.splits.test
    if (!total) throw new JobFailure(`dataset "${record.name}" has no test split to evaluate on`)
    // The same stratified subset (seed 0) for every model of a dataset, so runs compare sample by sample.
    const data = await loadDatasetRecord(record, { split: 'test', subset: n < total ? n : undefined, seed: 0 }, ctx.spec.dataDir)
    const size = workers ?? Math.max(1, Math.min(ctx.spec.cores ?? os.availableParallelism(), Math.ceil(data.n / 100)))
    ctx.log('info', `Evaluating on ${data.n} test images of ${record.name}, ${size} worker thread${size > 1 ? 's' : ''}.`)
    return new EvalSession(ctx, data, size)
  }

  get shape(): [number, number, number] {
    return [this.data.height, this.data.width, this.data.channels]
  }

  check(): void {
    if (this.ctx.cancelled()) {
      this.pool.cancel()
      throw new JobCancelled()
    }
  }

  load(input: ModelInput, seed: number): LoadedTarget {
    return loadTarget(input, seed)
  }

  clean(target: LoadedTarget, seed: number): CleanResult {
    const { predictions, confidences } = predict(target.classifier, this.data.images, this.shape)
    const accuracy = accuracyOf(predictions, this.data.labels)
    this.ctx.record({
      type: 'result',
      runId: target.input.runId,
      attack: 'clean',
      norm: 'none',
      epsilon: 0,
      seed,
      n: this.data.n,
      accuracy,
      cleanAccuracy: accuracy,
      params: { defence: target.defence },
      seconds: null,
      samples: {
        indices: this.data.indices,
        labels: this.data.labels,
        cleanPredictions: predictions,
        adversarialPredictions: predictions,
        perturbationNorms: null
      }
    })
    return { predictions, confidences, accuracy }
  }

  /** Runs one attack over the first `n` samples (all by default) and records its result. */
  async attack(
    target: LoadedTarget,
    clean: CleanResult,
    spec: {
      attackId: string
      recordAs?: string
      /** Filed under this norm and parameter instead of the call's (a spatial attack: 'spatial' at its rotation bound). */
      recordAt?: { norm: string; epsilon: number } | null
      params: AttackParams
      surrogate?: ModelInput
      adaptive?: { eotSamples: number } | null
      n?: number
      keep?: number
      phase: string
    }
  ): Promise<{ accuracy: number; outcome: AttackOutcome; n: number }> {
    this.check()
    const at = spec.recordAt ?? { norm: spec.params.norm, epsilon: spec.params.epsilon }
    const n = Math.min(spec.n ?? this.data.n, this.data.n)
    const size = this.shape[0] * this.shape[1] * this.shape[2]
    const started = Date.now()
    this.phaseStarted = started
    this.ctx.progress({ phase: spec.phase, step: 0, total: n, etaSeconds: null })
    const outcome = await this.runPool(
      {
        target: target.input,
        surrogate: spec.surrogate,
        defenceSeed: spec.params.seed,
        attackId: spec.attackId,
        params: spec.params,
        adaptive: spec.adaptive ?? null,
        keep: spec.keep ?? 0,
        images: this.data.images.subarray(0, n * size),
        labels: this.data.labels.subarray(0, n)
      },
      (done) => {
        const elapsed = (Date.now() - this.phaseStarted) / 1000
        this.ctx.progress({ phase: spec.phase, step: done, total: n, etaSeconds: done > 0 ? (elapsed / done) * (n - done) : null })
      }
    )
    this.check()
    const labels = this.data.labels.subarray(0, n)
    const accuracy = accuracyOf(outcome.predictions, labels)
    const seconds = (Date.now() - started) / 1000
    const cleanPredictions = clean.predictions.subarray(0, n)
    const { seed: _seed, ...settings } = spec.params
    this.ctx.record({
      type: 'result',
      runId: target.input.runId,
      attack: spec.recordAs ?? spec.attackId,
      norm: at.norm,
      epsilon: at.epsilon,
      seed: spec.params.seed,
      n,
      accuracy,
      cleanAccuracy: accuracyOf(cleanPredictions, labels),
      params: {
        ...settings,
        ...(outcome.budget ? { budget: outcome.budget } : {}),
        ...(outcome.stages ? { stages: outcome.stages } : {}),
        ...(spec.surrogate ? { surrogateRunId: spec.surrogate.runId } : {}),
        ...(spec.adaptive ? { adaptive: spec.adaptive } : {}),
        defence: target.defence,
        workers: this.pool.size
      },
      seconds,
      samples: {
        indices: this.data.indices.subarray(0, n),
        labels,
        cleanPredictions,
        adversarialPredictions: outcome.predictions,
        perturbationNorms: outcome.norms
      }
    })
    this.ctx.metrics([
      { name: evalAccuracyMetric(spec.recordAs ?? spec.attackId, at.norm, at.epsilon), step: spec.params.seed, value: accuracy }
    ])
    this.ctx.log(
      'info',
      `${target.input.name}: ${spec.recordAs ?? spec.attackId} (${at.norm}, ${spec.recordAt ? '' : 'ε='}${formatEpsilon(at.epsilon)}) accuracy ${(accuracy * 100).toFixed(2)}% on ${n} images in ${seconds.toFixed(1)} s.`
    )
    this.ctx.phaseEnd()
    return { accuracy, outcome, n }
  }

  /** A cancelled job stops its shard workers and unwinds as cancelled, not as failed. */
  private async runPool(...args: Parameters<ShardPool['run']>): Promise<AttackOutcome> {
    try {
      return await this.pool.run(...args)
    } catch (error) {
      if (this.ctx.cancelled()) throw new JobCancelled()
      throw error
    }
  }

  /** Stores the first kept adversarial examples of an attack as a gallery (PNG + JSON artifacts). */
  async gallery(
    target: LoadedTarget,
    clean: CleanResult,
    outcome: AttackOutcome,
    attack: string,
    norm: Norm,
    epsilon: number
  ): Promise<void> {
    const size = this.shape[0] * this.shape[1] * this.shape[2]
    const count = Math.floor(outcome.kept.length / size)
    if (count === 0) return
    const adversarials = outcome.kept
    const adv = predict(target.classifier, adversarials, this.shape)
    const entries = Array.from({ length: count }, (_, i) => ({
      sampleIndex: this.data.indices[i],
      label: this.data.labels[i],
      cleanPrediction: clean.predictions[i],
      cleanConfidence: clean.confidences[i],
      adversarialPrediction: adv.predictions[i],
      adversarialConfidence: adv.confidences[i],
      perturbationNorm: outcome.norms[i]
    }))
    const name = `gallery-run${target.input.runId}-${attack}-${norm}-${epsilon.toPrecision(4)}`.replace(/[^A-Za-z0-9.+-]/g, '_')
    const files = await writeGallery(path.join(this.runDir, 'gallery'), name, {
      shape: this.shape,
      originals: this.data.images.subarray(0, count * size),
      adversarials,
      entries,
      classes: this.data.classes,
      attack,
      norm,
      epsilon
    })
    await this.ctx.artifact('gallery', files.png)
    await this.ctx.artifact('gallery-json', files.json)
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
