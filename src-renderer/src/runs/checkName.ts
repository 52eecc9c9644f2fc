import { useI18n } from 'vue-i18n'

/** A masking check's name in the user's language; the service's (English) name for an id it does not know. */
export function useCheckName(): (id: number, fallback: string) => string {
  const { t, te } = useI18n()
  return (id, fallback) => (te(`maskingChecks.c${id}`) ? t(`maskingChecks.c${id}`) : fallback)
}
