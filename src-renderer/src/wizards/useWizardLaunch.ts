/**
 * What every wizard does around its requests: a flag while the request is under way and the
 * error to show when it fails, so the review step never hangs on a spinner after a refusal.
 */
import { ref } from 'vue'
import { useRouter } from 'vue-router'
import type { ApiError } from '@api/errors'
import { apiErrorOf } from '../api/errors'

/** Runs `action` with `busy` set and any failure kept in `error` (never thrown). */
function underway<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const busy = ref(false)
  const error = ref<ApiError | null>(null)
  async function run(...args: A) {
    busy.value = true
    error.value = null
    try {
      await action(...args)
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}

/** `start` sends the start request(s) and returns the ids started; one run opens its page, several open the run list. */
export function useWizardLaunch(start: () => Promise<number[]>) {
  const router = useRouter()
  const { busy, error, run } = underway(async () => {
    const ids = await start()
    if (ids.length === 1) await router.push({ name: 'run', params: { id: ids[0] } })
    else await router.push({ name: 'runs' })
  })
  return { launching: busy, launchError: error, launch: run }
}

/** A time estimate measured on the active backend before launch; `measure` returns what the review shows. */
export function useWizardEstimate<T>(measure: () => Promise<T>) {
  const result = ref<T | null>(null)
  const { busy, error, run } = underway(async () => {
    result.value = null
    result.value = await measure()
  })
  return { estimateResult: result, estimateError: error, estimating: busy, estimate: run }
}
