/**
 * Turns what a job's worker reports into rows of the log and events for every client. The main
 * thread is the only writer of the log, so the workers never contend for it.
 */
import type Database from 'better-sqlite3'
import type { EventHub } from '../event-hub'
import type { WorkerMessage } from './messages'
import { MetricWriter, forgetMetricsAfter } from '../store/metric-writer'
import { addArtifact } from '../store/artifacts'
import { logEvent } from '../store/events'
import { setRunStatus } from '../store/runs'
import { buildMissingDigests } from '../store/metric-digests'
import { writeEvalRecord } from '../store/evaluations'
import type { RunSummary } from '../../api/runs'
import { summaryFigures, type RunEventFact } from '../../api/run-events'

export class RunRecorder {
  progress: RunSummary['progress'] = null

  constructor(
    private readonly db: Database.Database,
    private readonly events: EventHub,
    private readonly metrics: MetricWriter,
    readonly runId: number,
    private readonly jobId: number
  ) {}

  apply(message: WorkerMessage): void {
    const { db, runId } = this
    switch (message.type) {
      case 'started':
        setRunStatus(db, runId, 'running', { backend: message.backend.name })
        logEvent(db, runId, 'info', `Started on the ${message.backend.name} backend (${message.backend.device}).`)
        this.events.emit('runs.changed', { id: runId, status: 'running' })
        break
      case 'progress':
        this.progress = { phase: message.phase, step: message.step, total: message.total, etaSeconds: message.etaSeconds }
        this.events.emit('job.progress', { jobId: this.jobId, runId, ...this.progress, message: message.message })
        break
      case 'metrics':
        this.metrics.add(runId, message.points)
        this.events.emit('runs.metrics', { runId, points: message.points.map(({ name, step, value }) => ({ name, step, value })) })
        break
      case 'phase-end':
        this.metrics.flush()
        break
      case 'event':
        logEvent(db, runId, message.level, message.message, message.data)
        break
      case 'artifact':
        addArtifact(db, runId, message.kind, message)
        break
      case 'resumed':
        // Points logged after the checkpoint are recomputed by the resumed job: drop them so the
        // run shows one continuous series of steps.
        this.metrics.flush()
        forgetMetricsAfter(db, runId, message.fromStep)
        logEvent(db, runId, 'info', `Resumed from the checkpoint at step ${message.fromStep} of ${message.total}.`, {
          fact: { kind: 'resumed', at: { step: message.fromStep, total: message.total } } satisfies RunEventFact
        })
        break
      case 'eval-record': {
        const r = message.record
        writeEvalRecord(db, runId, r)
        if (r.type === 'result')
          this.events.emit('evaluation.result', {
            runId: r.runId,
            evalRunId: runId,
            attack: r.attack,
            norm: r.norm,
            epsilon: r.epsilon,
            seed: r.seed,
            n: r.n,
            accuracy: r.accuracy
          })
        if (r.type === 'verdict')
          this.events.emit('evaluation.verdict', { runId: r.runId, evalRunId: runId, verdict: r.verdict, fired: r.fired })
        break
      }
      case 'done':
        this.finish('completed', null, message.summary ? `Completed: ${JSON.stringify(message.summary)}` : 'Completed.', {
          kind: 'completed',
          figures: summaryFigures(message.summary ?? {})
        })
        break
      case 'failed':
        this.finish('failed', message.error, `Failed${message.step !== undefined ? ` at step ${message.step}` : ''}: ${message.error}`)
        break
      case 'cancelled':
        this.finish(
          'cancelled',
          null,
          message.at
            ? `Cancelled by the user at step ${message.at.step} of ${message.at.total}; a checkpoint was saved there.`
            : 'Cancelled by the user.',
          { kind: 'cancelled', at: message.at ?? null }
        )
        break
    }
  }

  /** `fact`: what the line says as data, for the screens to write in the user's language. */
  finish(status: 'completed' | 'failed' | 'cancelled' | 'interrupted', error: string | null, message: string, fact?: RunEventFact): void {
    this.metrics.flush()
    setRunStatus(this.db, this.runId, status, { error })
    logEvent(this.db, this.runId, status === 'failed' ? 'error' : 'info', message, fact ? { fact } : undefined)
    // A finished run's series are reduced once now, so comparisons never rescan them.
    buildMissingDigests(this.db, Infinity, [this.runId])
    this.progress = null
    this.events.emit('runs.changed', { id: this.runId, status })
  }
}
