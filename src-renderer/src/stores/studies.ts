/**
 * The studies in the log (studies.list) and each running study's progress (studies.progress
 * events); the presets, the plan under review, and the one study report open on the screen, which
 * follows its study while it runs. The Studies screen only reads these and calls the actions.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { StudyReport, StudySummary } from '@api/studies'
import type { EventData, Params, Result } from '@api/contract'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'
import { useAction, useLoadable } from '../composables/useAction'

export type StudyProgress = EventData<'studies.progress'>
export type StudyParams = Params<'studies.estimate'>

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

  const {
    value: presets,
    error: presetsError,
    load: loadPresets
  } = useLoadable(() => request('studies.presets', {}, { inPlace: true }), [] as Result<'studies.presets'>)

  /** The plan and measured estimate under review; null once the form changes. */
  const planned = ref<Result<'studies.estimate'> | null>(null)
  const planning = useAction(async (params: StudyParams) => {
    planned.value = null
    planned.value = await request('studies.estimate', params, { inPlace: true })
  })
  const starting = useAction(async (params: StudyParams) => {
    const study = await request('studies.start', params, { inPlace: true })
    planned.value = null
    await load()
    return study
  })

  async function cancel(id: number) {
    try {
      await request('studies.cancel', { id })
    } catch {
      // reported as a notice by the request itself
    }
    await load()
  }

  /** The report open on the screen (by study id). */
  const openId = ref<number | null>(null)
  const report = ref<StudyReport | null>(null)
  const reading = useAction(async (id: number) => {
    const answer = await request('studies.report', { id }, { inPlace: true })
    if (openId.value === id) report.value = answer.report
  })
  async function openReport(id: number) {
    if (openId.value !== id) {
      report.value = null
      exportWritten.value = null
    }
    openId.value = id
    await reading.run(id)
  }
  function closeReport() {
    openId.value = null
    report.value = null
    exportWritten.value = null
  }
  /** Writes the open report as Markdown or HTML into the data folder's exports/; exportWritten is the file. */
  const exportWritten = ref<string | null>(null)
  const exporting = useAction(async (format: 'md' | 'html', dataDir: string) => {
    exportWritten.value = null
    if (openId.value === null) return
    exportWritten.value = (
      await request(
        'studies.report',
        { id: openId.value, format, path: `${dataDir}/exports/study-${openId.value}.${format}` },
        { inPlace: true }
      )
    ).path
  })

  function onProgress(next: StudyProgress) {
    const before = progress.value[next.studyId]
    progress.value = { ...progress.value, [next.studyId]: next }
    const known = studies.value.find((s) => s.id === next.studyId)
    if (!known || known.status !== next.status) void load()
    // The open report follows its study as runs finish, and once more when it ends — not on every step.
    if (openId.value === next.studyId && (before?.done !== next.done || before?.status !== next.status)) void reading.run(next.studyId)
  }

  return {
    studies,
    progress,
    loaded,
    error,
    load,
    presets,
    presetsError,
    loadPresets,
    planned,
    planning: planning.busy,
    planError: planning.error,
    plan: planning.run,
    starting: starting.busy,
    startError: starting.error,
    start: starting.run,
    cancel,
    openId,
    report,
    reportError: reading.error,
    openReport,
    closeReport,
    exportBusy: exporting.busy,
    exportWritten,
    exportError: exporting.error,
    exportReport: exporting.run,
    onProgress
  }
})
