/**
 * Step navigation shared by the stepped wizards: Next checks only the fields of the current step
 * (with the contract's own schema), shows their errors and stays; Back forgets the shown errors.
 */
import { computed, ref, toValue } from 'vue'
import type { MaybeRefOrGetter } from 'vue'
import { errorsFor } from '../forms/issues'
import type { FieldErrors } from '../forms/issues'

export interface WizardStepRules {
  /** All schema errors of the config as it would be sent. */
  errors: () => FieldErrors
  /** Per step (the last part of its i18n key, e.g. "dataset"), the config paths it edits. */
  fields: Record<string, string[]>
  /** Problems the schema cannot see (nothing chosen yet), by field path. */
  extra?: (stepKey: string) => FieldErrors
  /** Called on arriving at the review step (e.g. to measure an estimate). */
  onReview?: () => void
}

export function useWizardSteps(steps: MaybeRefOrGetter<string[]>, rules: WizardStepRules) {
  const step = ref(0)
  const stepKey = computed(() => toValue(steps)[step.value].split('.').pop() ?? '')
  const onReview = computed(() => stepKey.value === 'review')
  const shown = ref<FieldErrors>({})
  const err = (path: string): string | undefined => shown.value[path]

  function next() {
    const problems = { ...errorsFor(rules.errors(), rules.fields[stepKey.value] ?? []), ...rules.extra?.(stepKey.value) }
    shown.value = problems
    if (Object.keys(problems).length) return
    step.value++
    if (onReview.value) rules.onReview?.()
  }
  function back() {
    shown.value = {}
    step.value--
  }
  return { step, stepKey, onReview, shown, err, next, back }
}
