/**
 * What every screen and store does around a request: a flag while it is under way and the error
 * to show when it fails — so no button spins forever after a refusal and no screen repeats the
 * try / catch / finally. The failure is kept in `error` and never thrown.
 */
import { ref, type Ref } from 'vue'
import type { ApiError } from '@api/errors'
import { apiErrorOf } from '../api/errors'

export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const busy = ref(false)
  const error = ref<ApiError | null>(null)
  /** The action's answer, or undefined when it failed (the failure is in `error`). */
  async function run(...args: A): Promise<R | undefined> {
    busy.value = true
    error.value = null
    try {
      return await action(...args)
    } catch (failure) {
      error.value = apiErrorOf(failure)
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}

/**
 * A value read from the service: `load` replaces it, `loaded` says whether it ever arrived (a
 * screen shows "loading…" before that, and keeps the old value while a reload is under way).
 */
export function useLoadable<T, A extends unknown[]>(read: (...args: A) => Promise<T>, initial: T) {
  const value = ref(initial) as Ref<T>
  const loaded = ref(false)
  const {
    busy: loading,
    error,
    run
  } = useAction(async (...args: A) => {
    value.value = await read(...args)
    loaded.value = true
  })
  return { value, loaded, loading, error, load: run }
}
