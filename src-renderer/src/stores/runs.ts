/**
 * The runs in the log, models first (see runs/rows.ts), from one request (runs.overview), with
 * their live progress. Reloads on runs.changed / log.changed / evaluation events (coalesced: a
 * burst of events makes one reload), and keeps progress from job.progress events between reloads.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { RunsOverview } from '@api/runs-overview'
import type { JobProgress } from '@api/jobs'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'
import { activeRuns, buildRows, type RunProgress } from '../runs/rows'
import { nextSeed, repeatRun } from '../runs/repeat'

const RELOAD_DELAY_MS = 250

export const useRunsStore = defineStore('runs', () => {
  const overview = ref<RunsOverview | null>(null)
  const liveProgress = ref<Record<number, RunProgress>>({})
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  const rows = computed(() => buildRows(overview.value, liveProgress.value))
  const studies = computed(() => overview.value?.studies ?? [])
  /** Measurements whose models are all in the trash, listed apart. */
  const unattached = computed(() => overview.value?.unattached ?? [])
  const active = computed(() => activeRuns(rows.value, unattached.value, liveProgress.value))

  async function load() {
    loading.value = true
    try {
      overview.value = await request('runs.overview', { limit: 500 }, { inPlace: !loaded.value })
      liveProgress.value = {}
      loaded.value = true
      error.value = null
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

  /** The run's config started again with the next unused seed of its repeats; the started run. */
  async function repeat(id: number) {
    const run = await request('runs.get', { id })
    const seeds = [run.seed, ...rows.value.filter((r) => r.configHash === run.configHash).map((r) => r.seed)]
    const started = await repeatRun(run.kind, run.config as Record<string, unknown>, nextSeed(seeds))
    reloadSoon()
    return started
  }

  async function remove(ids: number[]) {
    await request('runs.delete', { ids })
    const gone = new Set(ids)
    if (overview.value) {
      const o = overview.value
      overview.value = {
        ...o,
        models: o.models.filter((m) => !gone.has(m.id)).map((m) => ({ ...m, measurements: m.measurements.filter((x) => !gone.has(x.id)) })),
        unattached: o.unattached.filter((x) => !gone.has(x.id))
      }
    }
    reloadSoon()
  }

  return {
    overview,
    rows,
    studies,
    unattached,
    active,
    liveProgress,
    loaded,
    loading,
    error,
    load,
    reloadSoon,
    onProgress,
    cancel,
    resume,
    repeat,
    remove
  }
})
