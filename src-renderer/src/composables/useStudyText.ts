/**
 * A study's preset and strategies in the user's language. The service names them in English
 * (lab/study/presets.ts); the built-in ones are known here by id, and a custom study's own labels
 * (typed by its user) are shown as written.
 */
import { useI18n } from 'vue-i18n'

export function useStudyText() {
  const { t, te } = useI18n()
  const known = (key: string, fallback: string) => (te(key) ? t(key) : fallback)
  return {
    presetTitle: (preset: { id: string; title: string }) => known(`studies.presets.${preset.id}.title`, preset.title),
    presetDescription: (preset: { id: string; description: string }) => known(`studies.presets.${preset.id}.description`, preset.description),
    armLabel: (arm: string, label: string) => known(`studies.arms.${arm}.label`, label),
    armDescription: (arm: { id: string; description: string }) => known(`studies.arms.${arm.id}.description`, arm.description)
  }
}
