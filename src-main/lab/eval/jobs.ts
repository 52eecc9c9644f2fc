/**
 * The three evaluation jobs (job kinds 'attack', 'eval', 'sweep'). Each is a run of its own whose
 * config names the model runs it measures (`targetRunIds`); its results are written against those
 * model runs (store/evaluations.ts), so every model carries its own accuracy table and verdict.
 */
import type { JobContext } from '../jobs/job-context'
import { JobFailure } from '../jobs/job-context'
import { EvalSession } from './session'
import { runFullEvaluation } from './full-evaluation'
import { PREFLIGHT_IMAGES, preflightWarnings } from './diagnostics/preflight'
import type { ModelInput } from '../jobs/messages'
import { formatEpsilon } from '../../api/epsilon'
import { attackDeclaration } from '../../api/attacks'
import { spatialResultKey } from '../../api/attacks/spatial'

function targetsOf(ctx: JobContext) {
  const targets = ctx.spec.inputs.targets
  if (!targets?.length) throw new JobFailure('this evaluation names no model run to evaluate')
  return targets
}

/** Seeds of the repeats: seed, seed + 1, … */
export const seedsOf = (seed: number, repeats: number): number[] => Array.from({ length: repeats }, (_, i) => seed + i)

/** AutoAttack run at another version is recorded under that version's id, never as "autoattack". */
function recordName(attack: string, settings: Record<string, unknown>, transfer: boolean): string {
  const version = settings.version
  const name = attack === 'autoattack' && typeof version === 'string' && version !== 'standard' ? `autoattack-${version}` : attack
  return transfer ? `transfer-${name}` : name
}

/** Where a spatial attack's result is filed (norm 'spatial' at its rotation bound); null for an ε-ball attack. */
const spatialKey = (attack: string, settings: Record<string, unknown>) => spatialResultKey(attackDeclaration(attack), settings)

/**
 * The pre-flight warnings for these attacks on this model, stored on the run before they run. The
 * probes call the model on a copy of its own, so a randomised defence's draws for the evaluation
 * (clean accuracy, gallery) stay exactly what they were without them.
 */
function preflight(
  ctx: JobContext,
  session: EvalSession,
  input: ModelInput,
  seed: number,
  attacks: readonly { attack: string; settings?: Record<string, unknown> }[]
): void {
  const [h, w, c] = session.shape
  const m = Math.min(PREFLIGHT_IMAGES, session.data.n)
  const probe = session.load(input, seed)
  try {
    for (const warning of preflightWarnings(probe.classifier, session.data.images.subarray(0, m * h * w * c), attacks))
      ctx.log('warn', warning)
  } finally {
    probe.dispose()
  }
}

export async function attackJob(ctx: JobContext<'attack'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const [input] = targetsOf(ctx)
  const session = await EvalSession.open(ctx, config.n, config.workers)
  try {
    const target = session.load(input, config.seed)
    const accuracies: number[] = []
    try {
      const clean = session.clean(target, config.seed)
      preflight(ctx, session, input, config.seed, [{ attack: config.attack, settings: config.settings }])
      for (const seed of seedsOf(config.seed, config.repeats)) {
        const { accuracy, outcome } = await session.attack(target, clean, {
          attackId: config.attack,
          recordAs: recordName(config.attack, config.settings, !!ctx.spec.inputs.surrogate),
          recordAt: spatialKey(config.attack, config.settings),
          params: { ...config.settings, norm: config.norm, epsilon: config.epsilon, seed },
          surrogate: ctx.spec.inputs.surrogate,
          keep: seed === config.seed && !spatialKey(config.attack, config.settings) ? 8 : 0,
          phase: `${config.attack}${config.repeats > 1 ? ` (seed ${seed})` : ''}`
        })
        accuracies.push(accuracy)
        // The gallery shows x, an amplified x_adv − x and x_adv at an ε: for a spatial attack there is no ε and the
        // difference of two rotated images is no perturbation to amplify, so it keeps none.
        if (seed === config.seed && !spatialKey(config.attack, config.settings))
          await session.gallery(target, clean, outcome, config.attack, config.norm, config.epsilon)
      }
      return { cleanAccuracy: clean.accuracy, accuracy: accuracies.reduce((a, b) => a + b, 0) / accuracies.length, accuracies }
    } finally {
      target.dispose()
    }
  } finally {
    await session.close()
  }
}

export async function sweepJob(ctx: JobContext<'sweep'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  const session = await EvalSession.open(ctx, config.n, config.workers)
  const summary: Record<string, number> = {}
  try {
    for (const input of targetsOf(ctx)) {
      const target = session.load(input, config.seed)
      try {
        const clean = session.clean(target, config.seed)
        summary[`${input.runId}/clean`] = clean.accuracy
        preflight(ctx, session, input, config.seed, config.attacks)
        for (const { attack, settings } of config.attacks) {
          // A spatial attack ignores ε: it runs once, not once per ε of the sweep.
          const recordAt = spatialKey(attack, settings)
          for (const epsilon of recordAt ? config.epsilons.slice(0, 1) : config.epsilons) {
            for (const seed of seedsOf(config.seed, config.repeats)) {
              const { accuracy } = await session.attack(target, clean, {
                attackId: attack,
                recordAs: recordName(attack, settings, false),
                recordAt,
                params: { ...settings, norm: config.norm, epsilon, seed },
                phase: `run ${input.runId}: ${attack}${recordAt ? '' : ` ε=${formatEpsilon(epsilon)}`}`
              })
              summary[`${input.runId}/${attack}/${recordAt?.epsilon ?? epsilon}/${seed}`] = accuracy
            }
          }
        }
      } finally {
        target.dispose()
      }
    }
    return summary
  } finally {
    await session.close()
  }
}

export async function evalJob(ctx: JobContext<'eval'>): Promise<Record<string, unknown>> {
  const config = ctx.spec.config
  return runFullEvaluation(ctx, config)
}
