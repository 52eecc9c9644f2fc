/** The latest progress of every job the service reported (job.progress events) in this session. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobProgress } from '@api/jobs'

export const useJobsStore = defineStore('jobs', () => {
  const byId = ref<Record<number, JobProgress>>({})

  const running = computed(() =>
    Object.values(byId.value)
      .filter((job) => job.total === 0 || job.step < job.total)
      .sort((a, b) => a.jobId - b.jobId)
  )

  function update(progress: JobProgress) {
    byId.value = { ...byId.value, [progress.jobId]: progress }
  }

  /** A run ended: its job is no longer running, whatever its last progress said. */
  function finishRun(runId: number) {
    byId.value = Object.fromEntries(Object.entries(byId.value).filter(([, job]) => job.runId !== runId))
  }

  return { byId, running, update, finishRun }
})
