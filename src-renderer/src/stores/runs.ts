/**
 * The runs in the log, with what the table shows about each (see runs/rows.ts) and their live
 * progress. Reloads on runs.changed / log.changed / evaluation events (coalesced: a burst of
 * events makes one reload), and keeps progress from job.progress events between reloads.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { RunSummary } from '@api/runs'
import type { ComparedRun } from '@api/compare'
import type { RunHeadline } from '@api/results-table'
import type { JobProgress } from '@api/jobs'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'
import { buildRows, type RunProgress } from '../runs/rows'

const RELOAD_DELAY_MS = 250

export const useRunsStore = defineStore('runs', () => {
  const summaries = ref<RunSummary[]>([])
  const filed = ref<ComparedRun[]>([])
  const scores = ref<RunHeadline[] | null>(null)
  const liveProgress = ref<Record<number, RunProgress>>({})
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const rows = computed(() => buildRows(summaries.value, filed.value, scores.value, liveProgress.value))
  const active = computed(() => rows.value.filter((r) => r.status === 'running' || r.status === 'queued'))

  async function load() {
    loading.value = true
    try {
      const inPlace = !loaded.value
      const [list, select] = await Promise.all([request('runs.list', { limit: 500 }, { inPlace }), request('runs.select', { limit: 500 }, { inPlace })])
      summaries.value = list
      filed.value = select
      liveProgress.value = {}
      loaded.value = true
      error.value = null
      const ids = list.map((r) => r.id)
      // Scores are a second step: the table is usable before they arrive.
      scores.value = ids.length ? (await request('results.table', { ids }, { inPlace })).headlines : null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  /** Only a list someone has looked at is kept fresh. */
  function reloadSoon() {
    if (timer || !loaded.value) return
    timer = setTimeout(() => {
      timer = null
      void load()
    }, RELOAD_DELAY_MS)
  }

  function onProgress(progress: JobProgress) {
    if (progress.runId === null) return
    const { phase, step, total, etaSeconds } = progress
    liveProgress.value = { ...liveProgress.value, [progress.runId]: { phase, step, total, etaSeconds } }
  }

  async function cancel(id: number) {
    await request('runs.cancel', { id })
    reloadSoon()
  }

  async function resume(id: number) {
    await request('runs.resume', { id })
    reloadSoon()
  }

  async function remove(ids: number[]) {
    await request('runs.delete', { ids })
    summaries.value = summaries.value.filter((r) => !ids.includes(r.id))
    reloadSoon()
  }

  return { summaries, filed, scores, rows, active, liveProgress, loaded, loading, error, load, reloadSoon, onProgress, cancel, resume, remove }
})
