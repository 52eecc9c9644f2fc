/** The lab's status as the service reports it (status.get): engine, versions, paths, counts. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { Status } from '@api/status'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export const useStatusStore = defineStore('status', () => {
  const status = ref<Status | null>(null)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  async function load() {
    loading.value = true
    try {
      // Before the first answer the panel shows the failure itself; after that, a failed refresh
      // would go unseen behind the old figures, so it becomes a notice.
      status.value = await request('status.get', {}, { inPlace: status.value === null })
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  return { status, loading, error, load }
})
