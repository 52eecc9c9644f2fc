/**
 * What every wizard does around its requests: a flag while the request is under way and the
 * error to show when it fails, so the review step never hangs on a spinner after a refusal.
 */
import { ref } from 'vue'
import { useRouter } from 'vue-router'
import { useAction } from '../composables/useAction'
import { focusHeading } from '../composables/focusHeading'

/** `start` sends the start request(s) and returns the ids started; one run opens its page, several open the run list. */
export function useWizardLaunch(start: () => Promise<number[]>) {
  const router = useRouter()
  const { busy, error, run } = useAction(async () => {
    const ids = await start()
    if (ids.length === 1) await router.push({ name: 'run', params: { id: ids[0] } })
    else await router.push({ name: 'runs' })
    // Focus follows the user to the new run's (or the run list's) heading.
    await focusHeading()
  })
  return { launching: busy, launchError: error, launch: run }
}

/** A time estimate measured on the active backend before launch; `measure` returns what the review shows. */
export function useWizardEstimate<T>(measure: () => Promise<T>) {
  const result = ref<T | null>(null)
  const { busy, error, run } = useAction(async () => {
    result.value = null
    result.value = await measure()
  })
  return { estimateResult: result, estimateError: error, estimating: busy, estimate: run }
}
