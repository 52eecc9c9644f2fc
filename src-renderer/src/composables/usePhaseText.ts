/**
 * A job's progress phase in the user's language. The service names its phases in English
 * (train, teacher, loading data …; lab/train, lab/eval); the fixed words are translated here by
 * their exact text, and a phase that names an attack ("PGD-10", "AutoAttack (fast)") is shown as
 * the service wrote it — attack names are the same in every language.
 */
import { useI18n } from 'vue-i18n'

/** The service's fixed phase words → their key under progress.phases. */
export const PHASE_KEYS: Record<string, string> = {
  train: 'train',
  teacher: 'teacher',
  student: 'student',
  'loading data': 'loadingData',
  'checking accuracy': 'checkingAccuracy',
  reading: 'reading',
  'transfer PGD': 'transferPgd'
}

export function usePhaseText(): (phase: string) => string {
  const { t } = useI18n()
  return (phase) => (PHASE_KEYS[phase] ? t(`progress.phases.${PHASE_KEYS[phase]}`) : phase)
}
