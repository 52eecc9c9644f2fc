/**
 * The time a study will take on the active backend, before anything starts: training from
 * train.estimate's measured probe (seconds per step), evaluation from the same probe's
 * input-gradient and inference timings and the attack budget. PGD-k adversarial training costs
 * about k + 1 training steps per step (k attack gradients, one update). Evaluation is an upper
 * bound: AutoAttack and Square stop early on points already broken.
 */
import type { StudyEstimate } from '../../api/studies'
import type { TrainConfig } from '../../api/train'
import type { LabContext } from '../context'
import { TrainConfigSchema } from '../../api/train'
import { estimateTraining, probeFor } from '../train/estimate'
import { BUDGETS } from '../eval/budgets'
import type { ResolvedStudy } from './presets'

/** Gradient and forward passes (summed over images) of one full evaluation plus the FGSM sweep. */
export function evaluationPasses(study: ResolvedStudy): { gradients: number; forwards: number } {
  const s = study.settings
  const b = BUDGETS[s.budget]
  const n = (k: number) => Math.min(k, s.evalImages)
  const aa =
    b.autoattack.version === 'fast'
      ? { gradients: 20 + 3 * 20 + 3 * 20, forwards: 500 }
      : { gradients: 100 + 9 * 100 + 9 * 100, forwards: 5000 }
  const gradients =
    s.evalImages * (s.epsilons.length + b.pgd.steps * b.pgd.restarts + b.adaptive.steps) +
    n(b.autoattack.n) * aa.gradients +
    n(b.curve.n) * s.curve.length * b.curve.steps
  const forwards = n(b.autoattack.n) * aa.forwards + n(b.square.n) * b.square.queries + 10 * s.evalImages
  return { gradients, forwards }
}

export async function estimateStudy(ctx: LabContext, study: ResolvedStudy, workers: number): Promise<StudyEstimate> {
  const seeds = study.plan.seeds.length
  const s = study.settings
  const parse = (c: object): TrainConfig => TrainConfigSchema.parse(c)
  // The study runs `workers` jobs at once; each trains on its share of the cores.
  const base = await estimateTraining(ctx, parse(study.baseline(1)), workers)
  const teacher = await estimateTraining(ctx, parse(study.teacher(1)), workers)
  const student = await estimateTraining(ctx, parse({ ...study.student(1, false), temperature: s.temperature }), workers)
  const adversarial = student.trainSeconds * (s.pgdAtSteps + 1) + student.evalSeconds
  const parts = [
    { what: 'baseline training', count: seeds, secondsEach: base.totalSeconds },
    { what: `teacher training (T = ${s.temperature})`, count: seeds, secondsEach: teacher.totalSeconds },
    { what: 'student training (distillation)', count: seeds, secondsEach: student.totalSeconds },
    { what: `student training with PGD-${s.pgdAtSteps} adversarial training`, count: seeds, secondsEach: adversarial }
  ]
  const trainSeconds = parts.reduce((t, p) => t + p.count * p.secondsEach, 0)
  // Attack steps and forward passes per image, as the probe measured them in inference mode.
  const probe = await probeFor(ctx, parse(study.baseline(1)))
  const gradientPerImage = probe.secondsPerInputGradientImage
  const forwardPerImage = probe.secondsPerInferenceImage
  const passes = evaluationPasses(study)
  const evalEach = passes.gradients * gradientPerImage + passes.forwards * forwardPerImage
  const evalSeconds = evalEach * seeds * study.plan.arms.length
  parts.push({
    what: `evaluation (${s.budget} budget, ${s.evalImages} images)`,
    count: seeds * study.plan.arms.length,
    secondsEach: evalEach
  })
  return {
    backend: base.backend,
    parts,
    trainSeconds,
    evalSeconds,
    totalSeconds: trainSeconds + evalSeconds,
    workers,
    wallSeconds: (trainSeconds + evalSeconds) / workers,
    note: `Training from a measured probe on ${base.backend} (${base.secondsPerStep.toFixed(3)} s per step of ${study.baseline(1).batchSize} images); evaluation is an upper bound from the same probe's attack-step timing; ${workers} job${workers > 1 ? 's' : ''} at once.`
  }
}
