/**
 * A study's preset, strategies and cuts in the user's language. The service names them in English
 * (lab/study/presets.ts, cuts.ts); the built-in ones are known here by id, a cut is worded from its
 * facts, and a custom study's own labels (typed by its user) are shown as written.
 */
import { useI18n } from 'vue-i18n'
import type { StudyCut } from '@api/studies'

export interface Words {
  t(key: string, named?: Record<string, unknown>, plural?: number): string
  te(key: string): boolean
  locale: string
}

/** A cut of a reduced study, worded from its facts (the service's English sentence is for the exported reports). */
export function studyCutText(cut: StudyCut, { t, te, locale }: Words): string {
  const known = (key: string, fallback: string) => (te(key) ? t(key) : fallback)
  const n = (value: number) => value.toLocaleString(locale)
  switch (cut.kind) {
    case 'model':
      return t('studies.cuts.model', { arch: cut.arch, dataset: cut.dataset, paperArch: cut.paperArch })
    case 'seeds':
      return t('studies.cuts.seeds', { seeds: cut.seeds, paperSeeds: cut.paperSeeds }, cut.seeds)
    case 'trainSubset':
      return t('studies.cuts.trainSubset', { images: n(cut.images) })
    case 'epochs':
      return t('studies.cuts.epochs', { epochs: cut.epochs, paperEpochs: cut.paperEpochs }, cut.epochs)
    case 'testSubset':
      return t('studies.cuts.testSubset', { images: n(cut.images) })
    case 'evalImages':
      return t('studies.cuts.evalImages', { images: n(cut.images) })
    case 'budget':
      return t('studies.cuts.budget', {
        budget: known(`wizard.eval.budgets.${cut.budget}`, cut.budget),
        paperBudget: known(`wizard.eval.budgets.${cut.paperBudget}`, cut.paperBudget)
      })
    case 'scale':
      return t('studies.cuts.scale', {
        overrides: cut.overrides
          .map((o) =>
            t('studies.cuts.override', {
              what: known(`studies.scale.${o.key}`, o.key),
              value: n(o.value),
              preset: o.preset === null ? t('studies.cuts.all') : n(o.preset)
            })
          )
          .join(t('studies.cuts.separator'))
      })
  }
}

export function useStudyText() {
  const { t, te, locale } = useI18n()
  const known = (key: string, fallback: string) => (te(key) ? t(key) : fallback)
  return {
    cutText: (cut: StudyCut) => studyCutText(cut, { t, te, locale: locale.value }),
    presetTitle: (preset: { id: string; title: string }) => known(`studies.presets.${preset.id}.title`, preset.title),
    presetDescription: (preset: { id: string; description: string }) =>
      known(`studies.presets.${preset.id}.description`, preset.description),
    armLabel: (arm: string, label: string) => known(`studies.arms.${arm}.label`, label),
    armDescription: (arm: { id: string; description: string }) => known(`studies.arms.${arm.id}.description`, arm.description)
  }
}
