/** The studies in the log (studies.list) and each running study's progress (studies.progress events). */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { StudySummary } from '@api/studies'
import type { EventData } from '@api/contract'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export type StudyProgress = EventData<'studies.progress'>

export const useStudiesStore = defineStore('studies', () => {
  const studies = ref<StudySummary[]>([])
  const progress = ref<Record<number, StudyProgress>>({})
  const loaded = ref(false)
  const error = ref<ApiError | null>(null)

  async function load() {
    try {
      studies.value = await request('studies.list', {}, { inPlace: !loaded.value })
      loaded.value = true
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    }
  }

  function onProgress(next: StudyProgress) {
    progress.value = { ...progress.value, [next.studyId]: next }
    const known = studies.value.find((s) => s.id === next.studyId)
    if (!known || known.status !== next.status) void load()
  }

  return { studies, progress, loaded, error, load, onProgress }
})
