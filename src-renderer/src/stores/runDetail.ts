/**
 * The run on the detail screen: its config and summary, training curves (runs.metrics with
 * maxPoints, then live points from runs.metrics events, flushed at most twice a second so a fast
 * run never floods the window), its events log, evaluation results, adversarial galleries and how
 * the log files it; and its cancel and resume, with the "cancelling" state shown at once.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { MetricSeries, Run, RunEvent } from '@api/runs'
import type { Gallery } from '@api/gallery'
import type { ComparedRun } from '@api/compare'
import type { EvaluationRow, MaskingVerdict, Score } from '@api/evaluation'
import { onEvent, request } from '../api'
import { apiErrorOf } from '../api/errors'
import { appendPoints, capSeries } from '../charts/options'
import { mergeEvents } from '../runs/eventLines'

export const MAX_POINTS = 500
const FLUSH_MS = 500

export const useRunDetailStore = defineStore('runDetail', () => {
  const runId = ref<number | null>(null)
  const run = ref<Run | null>(null)
  const series = ref<MetricSeries[]>([])
  const events = ref<RunEvent[]>([])
  const evaluations = ref<{ rows: EvaluationRow[]; verdict: MaskingVerdict | null; scores: Score[] }>({
    rows: [],
    verdict: null,
    scores: []
  })
  const filed = ref<ComparedRun | null>(null)
  const galleries = ref<Gallery[]>([])
  const galleryError = ref<string | null>(null)
  /** Cancel was asked and the run has not stopped yet: shown at once, as the worker stops at its next step. */
  const cancelling = ref(false)
  /** Newest progress of this run from job.progress, kept apart from `run` so a step re-renders only the bar. */
  const liveProgress = ref<Run['progress']>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  /** Points that arrived by event and wait for the next flush. */
  let pending: { name: string; step: number; value: number }[] = []
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let stops: (() => void)[] = []

  async function open(id: number) {
    close()
    runId.value = id
    run.value = null
    liveProgress.value = null
    series.value = []
    events.value = []
    filed.value = null
    galleries.value = []
    galleryError.value = null
    cancelling.value = false
    evaluations.value = { rows: [], verdict: null, scores: [] }
    stops = [
      onEvent('runs.metrics', (data) => {
        if (data.runId !== runId.value) return
        pending.push(...data.points)
        scheduleFlush()
      }),
      onEvent('runs.changed', (data) => {
        if (data.id === runId.value) void refresh()
      }),
      onEvent('evaluation.result', (data) => {
        if (data.runId === runId.value) void Promise.all([loadEvaluations(), loadGalleries()])
      }),
      onEvent('evaluation.verdict', (data) => {
        if (data.runId === runId.value) void loadEvaluations()
      }),
      onEvent('log.changed', (data) => {
        if (runId.value !== null && data.ids.includes(runId.value)) void loadFiled()
      }),
      onEvent('job.progress', (data) => {
        if (data.runId === runId.value)
          liveProgress.value = { phase: data.phase, step: data.step, total: data.total, etaSeconds: data.etaSeconds }
      })
    ]
    await refresh()
  }

  function close() {
    stops.forEach((stop) => stop())
    stops = []
    if (flushTimer) clearTimeout(flushTimer)
    flushTimer = null
    pending = []
  }

  function scheduleFlush() {
    if (flushTimer) return
    flushTimer = setTimeout(() => {
      flushTimer = null
      const points = pending
      pending = []
      series.value = capSeries(appendPoints(series.value, points), MAX_POINTS * 2)
      void loadEvents()
    }, FLUSH_MS)
  }

  async function refresh() {
    const id = runId.value
    if (id === null) return
    loading.value = true
    try {
      const [nextRun, nextSeries] = await Promise.all([
        request('runs.get', { id }, { inPlace: true }),
        request('runs.metrics', { id, maxPoints: MAX_POINTS }, { inPlace: true })
      ])
      if (id !== runId.value) return
      run.value = nextRun
      if (nextRun.status !== 'running' && nextRun.status !== 'queued') cancelling.value = false
      liveProgress.value = nextRun.progress
      series.value = nextSeries
      error.value = null
      await Promise.all([loadEvents(), loadEvaluations(), loadFiled(), loadGalleries()])
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  /** One fetch of new events at a time (a flush and a refresh fetched the same lines twice); merged by id besides. */
  let eventsFetch: Promise<void> | null = null
  let eventsAgain = false
  async function loadEvents(): Promise<void> {
    if (eventsFetch) {
      eventsAgain = true
      return eventsFetch
    }
    eventsFetch = (async () => {
      do {
        eventsAgain = false
        const id = runId.value
        if (id === null) return
        const afterId = events.value.length ? events.value[events.value.length - 1].id : 0
        const more = await request('runs.events', { id, afterId })
        if (id === runId.value && more.length) events.value = mergeEvents(events.value, more)
      } while (eventsAgain)
    })().finally(() => (eventsFetch = null))
    return eventsFetch
  }

  async function loadGalleries() {
    const id = runId.value
    if (id === null) return
    try {
      const answer = await request('evaluations.gallery', { id }, { inPlace: true })
      if (id === runId.value) {
        galleries.value = answer
        galleryError.value = null
      }
    } catch (failure) {
      if (id === runId.value) galleryError.value = apiErrorOf(failure).message
    }
  }

  async function cancel() {
    if (runId.value === null) return
    cancelling.value = true
    try {
      await request('runs.cancel', { id: runId.value })
    } catch (failure) {
      cancelling.value = false
      throw failure
    }
    await refresh()
  }

  async function resume() {
    if (runId.value === null) return
    await request('runs.resume', { id: runId.value })
    await refresh()
  }

  async function loadEvaluations() {
    const id = runId.value
    if (id === null) return
    const answer = await request('evaluations.list', { runId: id })
    if (id === runId.value) evaluations.value = answer
  }

  async function loadFiled() {
    const id = runId.value
    if (id === null) return
    const [found] = await request('runs.select', { ids: [id], includeArchived: true })
    if (id === runId.value) filed.value = found ?? null
  }

  async function saveNote(note: string) {
    if (runId.value === null) return
    await request('runs.note', { id: runId.value, note }, { inPlace: true })
    await loadFiled()
  }

  async function addTag(tag: string) {
    if (runId.value === null) return
    await request('runs.tag', { ids: [runId.value], tags: [tag] }, { inPlace: true })
    await loadFiled()
  }

  async function removeTag(tag: string) {
    if (runId.value === null) return
    await request('runs.untag', { ids: [runId.value], tags: [tag] })
    await loadFiled()
  }

  async function setStar(starred: boolean) {
    if (runId.value === null) return
    await request('runs.star', { id: runId.value, starred })
    await loadFiled()
  }

  return {
    runId,
    run,
    liveProgress,
    series,
    events,
    evaluations,
    filed,
    galleries,
    galleryError,
    cancelling,
    error,
    loading,
    open,
    close,
    refresh,
    cancel,
    resume,
    saveNote,
    addTag,
    removeTag,
    setStar
  }
})
