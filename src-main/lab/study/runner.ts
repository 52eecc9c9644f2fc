/**
 * Runs a preset study inside the lab service: it starts the training runs through the same
 * handlers the contract uses, and as each model finishes, its evaluations — a pipeline, so the job
 * queue is never idle while something could run. Every run lands in the log and in study_runs;
 * progress goes out as `studies.progress`. The study ends `failed` when any of its runs failed
 * (the rest still run), `cancelled` when cancelled.
 *
 * Per seed: the baseline and a teacher at T train; the baseline is wrapped behind the
 * gradient-truncation layer (the toy, no training); the teacher's soft labels train two students
 * (plain, and with PGD-5 adversarial training). Each of the four models gets a full robustness
 * evaluation at the headline ε (FGSM, PGD, AutoAttack, Square, ε-curve, masking checks) and an FGSM
 * sweep over the other ε of the grid.
 */
import type { LabContext } from '../context'
import { isFinalStatus, type RunStatus, type RunSummary } from '../../api/runs'
import { requests, type EventData } from '../../api/contract'
import { trainingHandlers } from '../handlers/train'
import { evaluationHandlers } from '../handlers/evaluation'
import { defenceHandlers } from '../handlers/defences'
import { getRun, processIsAlive } from '../store/runs'
import { addStudyRun, finishStudy, getStudySummary, type StudyRole } from '../store/studies'
import { ARMS, type ResolvedStudy } from './presets'


interface Active {
  cancelled: boolean
  runIds: Set<number>
}

/** The studies each lab service is running (keyed by its database, one per service). */
const running = new WeakMap<object, Map<number, Active>>()

function activeOf(ctx: LabContext): Map<number, Active> {
  let m = running.get(ctx.db)
  if (!m) running.set(ctx.db, (m = new Map()))
  return m
}

export function isStudyActive(ctx: LabContext, studyId: number): boolean {
  return activeOf(ctx).has(studyId)
}

/**
 * A study found `running` whose runner is gone was cut off (the app closed, the CLI was killed):
 * interrupted. Its runner is this service's (then it must be active here) or another live process
 * sharing the log (then it is left alone).
 */
export function markOrphanedStudies(ctx: LabContext): void {
  const rows = ctx.db.prepare("SELECT id, runner_pid FROM studies WHERE status = 'running'").all() as { id: number; runner_pid: number | null }[]
  for (const { id, runner_pid: pid } of rows) {
    const gone = pid === null || (pid === process.pid ? !isStudyActive(ctx, id) : !processIsAlive(pid))
    if (gone) finishStudy(ctx.db, id, 'interrupted', 'AdvLab stopped while the study was running; its finished runs are kept.')
  }
}

export function cancelStudy(ctx: LabContext, studyId: number): boolean {
  const a = activeOf(ctx).get(studyId)
  if (!a) return false
  a.cancelled = true
  for (const id of a.runIds) ctx.jobs.cancel(id)
  return true
}

/** Resolves with the run's final status. */
function settled(ctx: LabContext, runId: number): Promise<RunStatus> {
  return new Promise((resolve) => {
    let off = (): void => {}
    const check = () => {
      const status = getRun(ctx.db, runId).status
      if (isFinalStatus(status)) {
        off()
        resolve(status)
        return true
      }
      return false
    }
    off = ctx.events.subscribe((name, data) => {
      if (name === 'runs.changed' && (data as { id: number }).id === runId) check()
    })
    check()
  })
}

/** Runs per seed: baseline, teacher, toy (wrap), two students, and two evaluation runs per model. */
export const RUNS_PER_SEED = 5 + ARMS.length * 2

/** The queue's concurrency before the first running study raised it; restored when the last one ends. */
const savedConcurrency = new WeakMap<object, number>()

export async function runStudy(ctx: LabContext, studyId: number, study: ResolvedStudy, emit: (e: EventData<'studies.progress'>) => void, workers: number): Promise<void> {
  const active: Active = { cancelled: false, runIds: new Set() }
  if (activeOf(ctx).size === 0) savedConcurrency.set(ctx.db, ctx.jobs.concurrency)
  activeOf(ctx).set(studyId, active)
  if (workers > ctx.jobs.concurrency) ctx.jobs.setConcurrency(workers)
  const { plan, settings } = study
  const total = plan.seeds.length * RUNS_PER_SEED
  const started = Date.now()
  const labels = new Map<number, string>()
  const progress = new Map<number, { phase: string; step: number; total: number }>()
  let done = 0
  let failed = 0
  const failures: string[] = []
  let lastEmit = 0

  const publish = (force = false) => {
    const now = Date.now()
    if (!force && now - lastEmit < 500) return
    lastEmit = now
    const activeRuns = [...progress.entries()].map(([runId, p]) => ({ runId, label: labels.get(runId) ?? `run ${runId}`, ...p }))
    const partial = activeRuns.reduce((s, r) => s + (r.total > 0 ? Math.min(1, r.step / r.total) : 0), 0)
    const summary = getStudySummary(ctx.db, studyId)
    emit({ studyId, status: summary.status, done, failed, total, fraction: Math.min(1, (done + partial) / total), active: activeRuns, elapsedSeconds: (now - started) / 1000 })
  }
  const offProgress = ctx.events.subscribe((name, data) => {
    if (name !== 'job.progress') return
    const p = data as { runId: number | null; phase: string; step: number; total: number }
    if (p.runId !== null && labels.has(p.runId) && progress.has(p.runId)) {
      progress.set(p.runId, { phase: p.phase, step: p.step, total: p.total })
      publish()
    }
  })

  /** Starts a run through its handler, records it in the study, and resolves when it has ended. */
  const launch = async (role: StudyRole, arm: string, seed: number, label: string, start: () => Promise<RunSummary> | RunSummary): Promise<number | null> => {
    if (active.cancelled) return null
    let run: RunSummary
    try {
      run = await start()
    } catch (error) {
      failed += 1
      done += 1
      failures.push(`${label}: ${(error as Error).message}`)
      publish(true)
      return null
    }
    addStudyRun(ctx.db, studyId, run.id, arm, seed, role)
    labels.set(run.id, label)
    active.runIds.add(run.id)
    progress.set(run.id, { phase: 'queued', step: 0, total: 0 })
    publish(true)
    const status = await settled(ctx, run.id)
    progress.delete(run.id)
    active.runIds.delete(run.id)
    done += 1
    if (status !== 'completed') {
      failed += 1
      const error = getRun(ctx.db, run.id).error
      failures.push(`${label} (run ${run.id}) ${status}${error ? `: ${error}` : ''}`)
    }
    publish(true)
    return status === 'completed' ? run.id : null
  }

  const name = (arm: string, seed: number, what = '') => `${plan.preset} · ${ARMS.find((a) => a.id === arm)?.label ?? arm}${what} · seed ${seed}`
  const trainStart = (config: unknown) => trainingHandlers['train.start'](requests['train.start'].params.parse(config), ctx)
  const distillStart = (config: unknown) => trainingHandlers['distill.start'](requests['distill.start'].params.parse(config), ctx)

  const evaluate = async (arm: string, seed: number, modelRunId: number | null): Promise<void> => {
    if (modelRunId === null) {
      // The model never came to be: its evaluations count as failed, so the totals still add up.
      done += 2
      failed += 2
      publish(true)
      return
    }
    const others = settings.epsilons.filter((e) => Math.abs(e - settings.epsilon) > 1e-12)
    await Promise.all([
      launch('eval', arm, seed, `${name(arm, seed)} — full evaluation`, () =>
        evaluationHandlers['eval.start'](
          requests['eval.start'].params.parse({ runId: modelRunId, budget: settings.budget, n: settings.evalImages, epsilon: settings.epsilon, epsilons: settings.curve, seed, name: `${name(arm, seed)} — full evaluation` }),
          ctx
        )
      ),
      others.length
        ? launch('sweep', arm, seed, `${name(arm, seed)} — FGSM ε grid`, () =>
            evaluationHandlers['sweep.start'](
              requests['sweep.start'].params.parse({ runIds: [modelRunId], attacks: [{ attack: 'fgsm' }], epsilons: others, n: settings.evalImages, seed, name: `${name(arm, seed)} — FGSM ε grid` }),
              ctx
            )
          )
        : Promise.resolve((done += 1))
    ])
  }

  const perSeed = async (seed: number): Promise<void> => {
    const baselineBranch = async () => {
      const baseline = await launch('model', 'baseline', seed, name('baseline', seed), () => trainStart({ ...study.baseline(seed), name: name('baseline', seed), projectId: undefined }))
      const toy =
        baseline === null
          ? null
          : await launch('model', 'toy', seed, name('toy', seed), () =>
              defenceHandlers['defences.wrap'](requests['defences.wrap'].params.parse({ runId: baseline, defence: { kind: 'gradient-truncation', backwardScale: 0 }, name: name('toy', seed) }), ctx)
            )
      if (baseline === null) {
        done += 1
        failed += 1
      }
      await Promise.all([evaluate('baseline', seed, baseline), evaluate('toy', seed, toy)])
    }
    const distillBranch = async () => {
      const teacher = await launch('teacher', 'distillation', seed, name('distillation', seed, ' teacher'), () => trainStart({ ...study.teacher(seed), name: name('distillation', seed, ` teacher (T=${settings.temperature})`) }))
      const student = async (arm: 'distillation' | 'distillation-pgd', adversarial: boolean) => {
        const id =
          teacher === null
            ? null
            : await launch('model', arm, seed, name(arm, seed), () =>
                distillStart({ teacherRunId: teacher, student: study.student(seed, adversarial), temperature: settings.temperature, alpha: settings.alpha, name: name(arm, seed) })
              )
        if (teacher === null) {
          done += 1
          failed += 1
        }
        await evaluate(arm, seed, id)
      }
      await Promise.all([student('distillation', false), student('distillation-pgd', true)])
    }
    await Promise.all([baselineBranch(), distillBranch()])
  }

  try {
    await Promise.all(plan.seeds.map(perSeed))
    const status = active.cancelled ? 'cancelled' : failed > 0 ? 'failed' : 'completed'
    finishStudy(ctx.db, studyId, status, failures.length ? `${failed} of ${total} runs did not complete: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? ' …' : ''}` : null)
  } catch (error) {
    finishStudy(ctx.db, studyId, 'failed', `The study stopped: ${(error as Error).message}`)
  } finally {
    offProgress()
    activeOf(ctx).delete(studyId)
    const saved = savedConcurrency.get(ctx.db)
    if (activeOf(ctx).size === 0 && saved !== undefined) ctx.jobs.setConcurrency(saved)
    progress.clear()
    publish(true)
  }
}
