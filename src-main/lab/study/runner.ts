/**
 * Runs a preset study inside the lab service: it starts the training runs through the lab's own
 * client (the same contract, validation and errors as any caller), and as each model finishes,
 * its evaluations — a pipeline, so the job
 * queue is never idle while something could run. Every run lands in the log and in study_runs;
 * progress goes out as `studies.progress`. The study ends `failed` when any of its runs failed
 * (the rest still run), `cancelled` when cancelled. Its state is in the log: its runs in
 * study_runs, a cancellation in studies.cancel_requested_at; the service only knows which studies
 * it runs itself.
 *
 * Per seed: the baseline and a teacher at T train; the baseline is wrapped behind the
 * gradient-truncation layer (the toy, no training); the teacher's soft labels train two students
 * (plain, and with PGD-5 adversarial training). Each of the four models gets a full robustness
 * evaluation at the headline ε (FGSM, PGD, AutoAttack, Square, ε-curve, masking checks) and an FGSM
 * sweep over the other ε of the grid.
 */
import type { LabContext } from '../context'
import type { EventData } from '../../api/contract'
import type { RunSummary } from '../../api/runs'
import { runEnded } from '../../api/run-ended'
import { processIsAlive } from '../store/runs'
import {
  addStudyRun,
  finishStudy,
  getStudySummary,
  isStudyCancelRequested,
  requestStudyCancel,
  runningStudies,
  unfinishedStudyRuns,
  type StudyRole
} from '../store/studies'
import { ARMS, type ResolvedStudy } from './presets'

export function isStudyActive(ctx: LabContext, studyId: number): boolean {
  return ctx.studiesRunHere.has(studyId)
}

/**
 * A study found `running` whose runner is gone was cut off (the app closed, the CLI was killed):
 * interrupted. Its runner is this service's (then it must be active here) or another live process
 * sharing the log (then it is left alone).
 */
export function markOrphanedStudies(ctx: LabContext): void {
  for (const { id, runnerPid: pid } of runningStudies(ctx.db)) {
    const gone = pid === null || (pid === process.pid ? !isStudyActive(ctx, id) : !processIsAlive(pid))
    if (gone) finishStudy(ctx.db, id, 'interrupted', 'AdvLab stopped while the study was running; its finished runs are kept.')
  }
}

/** Records the cancellation and cancels the study's unfinished runs; false when this service does not run it. */
export function cancelStudy(ctx: LabContext, studyId: number): boolean {
  if (!isStudyActive(ctx, studyId)) return false
  requestStudyCancel(ctx.db, studyId)
  for (const id of unfinishedStudyRuns(ctx.db, studyId)) ctx.jobs.cancel(id)
  return true
}

/** Runs per seed: baseline, teacher, toy (wrap), two students, and two evaluation runs per model. */
export const RUNS_PER_SEED = 5 + ARMS.length * 2

export async function runStudy(
  ctx: LabContext,
  studyId: number,
  study: ResolvedStudy,
  emit: (e: EventData<'studies.progress'>) => void,
  workers: number
): Promise<void> {
  ctx.studiesRunHere.add(studyId)
  const releaseConcurrency = ctx.jobs.raiseConcurrency(workers)
  const api = ctx.client
  const cancelled = () => isStudyCancelRequested(ctx.db, studyId)
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
    emit({
      studyId,
      status: summary.status,
      done,
      failed,
      total,
      fraction: Math.min(1, (done + partial) / total),
      active: activeRuns,
      elapsedSeconds: (now - started) / 1000
    })
  }
  const offProgress = api.on('job.progress', (p) => {
    if (p.runId !== null && labels.has(p.runId) && progress.has(p.runId)) {
      progress.set(p.runId, { phase: p.phase, step: p.step, total: p.total })
      publish()
    }
  })

  /** Starts a run through the client, records it in the study, and resolves when it has ended. */
  const launch = async (
    role: StudyRole,
    arm: string,
    seed: number,
    label: string,
    start: () => Promise<RunSummary>
  ): Promise<number | null> => {
    if (cancelled()) return null
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
    // Cancelled while this run was being started: it must not run on alone.
    if (cancelled()) ctx.jobs.cancel(run.id)
    labels.set(run.id, label)
    progress.set(run.id, { phase: 'queued', step: 0, total: 0 })
    publish(true)
    const { status, error } = await runEnded(api, run.id)
    progress.delete(run.id)
    done += 1
    if (status !== 'completed') {
      failed += 1
      failures.push(`${label} (run ${run.id}) ${status}${error ? `: ${error}` : ''}`)
    }
    publish(true)
    return status === 'completed' ? run.id : null
  }

  const name = (arm: string, seed: number, what = '') =>
    `${plan.preset} · ${ARMS.find((a) => a.id === arm)?.label ?? arm}${what} · seed ${seed}`

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
        api.request('eval.start', {
          runId: modelRunId,
          budget: settings.budget,
          n: settings.evalImages,
          epsilon: settings.epsilon,
          epsilons: settings.curve,
          seed,
          name: `${name(arm, seed)} — full evaluation`
        })
      ),
      others.length
        ? launch('sweep', arm, seed, `${name(arm, seed)} — FGSM ε grid`, () =>
            api.request('sweep.start', {
              runIds: [modelRunId],
              attacks: [{ attack: 'fgsm' }],
              epsilons: others,
              n: settings.evalImages,
              seed,
              name: `${name(arm, seed)} — FGSM ε grid`
            })
          )
        : Promise.resolve((done += 1))
    ])
  }

  const perSeed = async (seed: number): Promise<void> => {
    const baselineBranch = async () => {
      const baseline = await launch('model', 'baseline', seed, name('baseline', seed), () =>
        api.request('train.start', { ...study.baseline(seed), name: name('baseline', seed), projectId: undefined })
      )
      const toy =
        baseline === null
          ? null
          : await launch('model', 'toy', seed, name('toy', seed), () =>
              api.request('defences.wrap', {
                runId: baseline,
                defence: { kind: 'gradient-truncation', backwardScale: 0 },
                name: name('toy', seed)
              })
            )
      if (baseline === null) {
        done += 1
        failed += 1
      }
      await Promise.all([evaluate('baseline', seed, baseline), evaluate('toy', seed, toy)])
    }
    const distillBranch = async () => {
      const teacher = await launch('teacher', 'distillation', seed, name('distillation', seed, ' teacher'), () =>
        api.request('train.start', { ...study.teacher(seed), name: name('distillation', seed, ` teacher (T=${settings.temperature})`) })
      )
      const student = async (arm: 'distillation' | 'distillation-pgd', adversarial: boolean) => {
        const id =
          teacher === null
            ? null
            : await launch('model', arm, seed, name(arm, seed), () =>
                api.request('distill.start', {
                  teacherRunId: teacher,
                  student: study.student(seed, adversarial),
                  temperature: settings.temperature,
                  alpha: settings.alpha,
                  name: name(arm, seed)
                })
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
    const status = cancelled() ? 'cancelled' : failed > 0 ? 'failed' : 'completed'
    finishStudy(
      ctx.db,
      studyId,
      status,
      failures.length
        ? `${failed} of ${total} runs did not complete: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? ' …' : ''}`
        : null
    )
  } catch (error) {
    finishStudy(ctx.db, studyId, 'failed', `The study stopped: ${(error as Error).message}`)
  } finally {
    offProgress()
    ctx.studiesRunHere.delete(studyId)
    releaseConcurrency()
    progress.clear()
    publish(true)
  }
}
