/**
 * What a study left out compared with the seed write-up's settings (the seed-paper preset): fewer
 * seeds, a training subset, fewer epochs, fewer evaluated images, a reduced attack budget, another
 * dataset or architecture — and what the user cut further with a scale override. Stated beside
 * every study table (issue 13), because a reduced study's numbers are not the write-up's numbers.
 * Found once as facts (studyCutFacts, which the app words in the user's language) and written
 * from them in English (studyCuts, for the Markdown and HTML reports and the CLI).
 */
import type { StudyCut, StudyPlan } from '../../api/studies'
import { PRESETS } from './presets'

const count = (n: number) => n.toLocaleString('en-US')

interface Trained {
  subset?: { train?: number; test?: number }
  epochs?: number
}

export function studyCutFacts(plan: StudyPlan): StudyCut[] {
  const paper = PRESETS['seed-paper']
  const preset = PRESETS[plan.preset as keyof typeof PRESETS]
  const trained = (plan.training.baseline ?? {}) as Trained
  const cuts: StudyCut[] = []
  if (plan.arch !== paper.arch) cuts.push({ kind: 'model', arch: plan.arch, dataset: plan.dataset, paperArch: paper.arch })
  if (plan.seeds.length < paper.seeds) cuts.push({ kind: 'seeds', seeds: plan.seeds.length, paperSeeds: paper.seeds })
  if (trained.subset?.train) cuts.push({ kind: 'trainSubset', images: trained.subset.train })
  if (trained.epochs !== undefined && trained.epochs < paper.epochs)
    cuts.push({ kind: 'epochs', epochs: trained.epochs, paperEpochs: paper.epochs })
  if (trained.subset?.test) cuts.push({ kind: 'testSubset', images: trained.subset.test })
  cuts.push({ kind: 'evalImages', images: plan.evalImages })
  if (plan.budget !== paper.budget) cuts.push({ kind: 'budget', budget: plan.budget, paperBudget: paper.budget })
  const overrides = Object.entries(plan.scale).filter(([, v]) => v !== undefined)
  if (preset && overrides.length) {
    const was = (key: string) => (preset as unknown as Record<string, unknown>)[key]
    cuts.push({
      kind: 'scale',
      overrides: overrides.map(([key, value]) => ({
        key,
        value: value as number,
        preset: was(key) === undefined ? null : (was(key) as number)
      }))
    })
  }
  return cuts
}

/** One cut in English, as the reports state it. */
export function cutSentence(cut: StudyCut): string {
  switch (cut.kind) {
    case 'model':
      return `model ${cut.arch} on ${cut.dataset} (the write-up: ${cut.paperArch} on CIFAR-10)`
    case 'seeds':
      return `${cut.seeds} seed${cut.seeds > 1 ? 's' : ''} (the write-up: ${cut.paperSeeds})`
    case 'trainSubset':
      return `${count(cut.images)} training images per model, a stratified subset (the write-up: the whole training set)`
    case 'epochs':
      return `${cut.epochs} epoch${cut.epochs > 1 ? 's' : ''} of training (the write-up: ${cut.paperEpochs})`
    case 'testSubset':
      return `clean accuracy during training on ${count(cut.images)} test images`
    case 'evalImages':
      return `attacks on ${count(cut.images)} test images per model`
    case 'budget':
      return `the "${cut.budget}" evaluation budget (the write-up: full AutoAttack, "${cut.paperBudget}" here)`
    case 'scale':
      return `reduced further for this run: ${cut.overrides.map((o) => `${o.key} ${count(o.value)} (preset: ${o.preset === null ? 'all' : count(o.preset)})`).join(', ')}`
  }
}

export function studyCuts(plan: StudyPlan): string[] {
  return studyCutFacts(plan).map(cutSentence)
}
