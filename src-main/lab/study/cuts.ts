/**
 * What a study left out compared with the seed write-up's settings (the seed-paper preset): fewer
 * seeds, a training subset, fewer epochs, fewer evaluated images, a reduced attack budget, another
 * dataset or architecture — and what the user cut further with a scale override. Stated beside
 * every study table (issue 13), because a reduced study's numbers are not the write-up's numbers.
 */
import type { StudyPlan } from '../../api/studies'
import { PRESETS } from './presets'

const count = (n: number) => n.toLocaleString('en-US')

interface Trained {
  subset?: { train?: number; test?: number }
  epochs?: number
}

export function studyCuts(plan: StudyPlan): string[] {
  const paper = PRESETS['seed-paper']
  const preset = PRESETS[plan.preset as keyof typeof PRESETS]
  const trained = (plan.training.baseline ?? {}) as Trained
  const cuts: string[] = []
  if (plan.arch !== paper.arch) cuts.push(`model ${plan.arch} on ${plan.dataset} (the write-up: ${paper.arch} on CIFAR-10)`)
  if (plan.seeds.length < paper.seeds) cuts.push(`${plan.seeds.length} seed${plan.seeds.length > 1 ? 's' : ''} (the write-up: ${paper.seeds})`)
  if (trained.subset?.train) cuts.push(`${count(trained.subset.train)} training images per model, a stratified subset (the write-up: the whole training set)`)
  if (trained.epochs !== undefined && trained.epochs < paper.epochs) cuts.push(`${trained.epochs} epoch${trained.epochs > 1 ? 's' : ''} of training (the write-up: ${paper.epochs})`)
  if (trained.subset?.test) cuts.push(`clean accuracy during training on ${count(trained.subset.test)} test images`)
  cuts.push(`attacks on ${count(plan.evalImages)} test images per model`)
  if (plan.budget !== paper.budget) cuts.push(`the "${plan.budget}" evaluation budget (the write-up: full AutoAttack, "${paper.budget}" here)`)
  const overrides = Object.entries(plan.scale).filter(([, v]) => v !== undefined)
  if (preset && overrides.length) {
    const was = (key: string) => (preset as unknown as Record<string, unknown>)[key]
    cuts.push(`reduced further for this run: ${overrides.map(([k, v]) => `${k} ${count(v as number)} (preset: ${was(k) === undefined ? 'all' : count(was(k) as number)})`).join(', ')}`)
  }
  return cuts
}
