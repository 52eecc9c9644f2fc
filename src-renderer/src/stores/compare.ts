/**
 * The Compare screen's data: the comparison of the selected runs (configs, curves, agreement) and
 * the service's results table for them, with the user's table choices — ε per attack, or one
 * common ε for every attack, and partial results. The table is only rendered, never recomputed;
 * the exports take the same choices. The ε-curves read the same table at every ε (`curveTable`).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { Comparison } from '@api/compare'
import type { ResultsTable, TableChoice } from '@api/results-table'
import type { StepTimes } from '@api/metric-times'
import { attackTitle } from '@api/results-text'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export const useCompareStore = defineStore('compare', () => {
  const ids = ref<number[]>([])
  const comparison = ref<Comparison | null>(null)
  const table = ref<ResultsTable | null>(null)
  /** The table at every ε each attack was run at: what the ε-curves draw, whatever ε the table shows. */
  const curveTable = ref<ResultsTable | null>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  /** ε chosen per attack ('' or absent: every ε it was run at), or one common ε ('' for none). */
  const epsilonOf = ref<Record<string, string>>({})
  const commonEpsilon = ref('')
  const includePartial = ref(false)
  /** When each run logged the points of one series (for x by time), keyed by the series' name. */
  const stepTimes = ref<{ name: string; runs: StepTimes[] } | null>(null)

  const choice = computed<TableChoice>(() => {
    if (commonEpsilon.value !== '') return { includePartial: includePartial.value, epsilon: Number(commonEpsilon.value) }
    const epsilons = Object.fromEntries(
      Object.entries(epsilonOf.value)
        .filter(([, v]) => v !== '')
        .map(([attack, v]) => [attack, [Number(v)]])
    )
    return { includePartial: includePartial.value, ...(Object.keys(epsilons).length ? { epsilons } : {}) }
  })

  /** Every ε of every attack, ascending: the choices of the common ε. */
  const allEpsilons = computed(() =>
    [...new Set((curveTable.value ?? table.value)?.available.flatMap((a) => a.epsilons) ?? [])].sort((a, b) => a - b)
  )

  /** Attacks with more than one ε, by their display names: those the user can narrow one by one. */
  const choosable = computed(() => {
    const byAttack = new Map<string, number[]>()
    for (const a of (curveTable.value ?? table.value)?.available ?? [])
      byAttack.set(
        a.attack,
        [...new Set([...(byAttack.get(a.attack) ?? []), ...a.epsilons])].sort((x, y) => x - y)
      )
    return [...byAttack].filter(([, eps]) => eps.length > 1).map(([attack, epsilons]) => ({ attack, name: attackTitle(attack), epsilons }))
  })

  /**
   * The selection as a plain array: the ref's reactive proxy cannot be structured-cloned, which
   * the in-process transport and Electron's IPC do to every request.
   */
  const selected = () => [...ids.value]

  async function loadTable() {
    if (ids.value.length === 0) return
    try {
      table.value = await request('results.table', { ids: selected(), ...choice.value }, { inPlace: true })
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    }
  }

  async function loadCurveTable() {
    curveTable.value = await request('results.table', { ids: selected(), includePartial: includePartial.value }, { inPlace: true })
  }

  /** Loads the comparison and the table of these runs; the choices start afresh for a new selection. */
  async function load(selection: number[]) {
    if (selection.join() !== ids.value.join()) {
      epsilonOf.value = {}
      commonEpsilon.value = ''
      includePartial.value = false
    }
    ids.value = selection
    stepTimes.value = null
    if (selection.length === 0) return
    loading.value = true
    try {
      const chosen = choice.value.epsilon !== undefined || choice.value.epsilons !== undefined
      const [cmp, results, curves] = await Promise.all([
        request('runs.compare', { ids: selection, maxPoints: 300, agreement: true }, { inPlace: true }),
        request('results.table', { ids: selection, ...choice.value }, { inPlace: true }),
        // Without an ε choice the table already holds every ε: no second request.
        chosen
          ? request('results.table', { ids: selection, includePartial: includePartial.value }, { inPlace: true })
          : Promise.resolve(null)
      ])
      comparison.value = cmp
      table.value = results
      curveTable.value = curves ?? results
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  /** Times the points of one series of the compared runs, once per series name. */
  async function loadStepTimes(name: string) {
    if (ids.value.length === 0 || stepTimes.value?.name === name) return
    try {
      stepTimes.value = { name, runs: await request('runs.metricTimes', { ids: selected(), name }, { inPlace: true }) }
    } catch (failure) {
      error.value = apiErrorOf(failure)
    }
  }

  function chooseEpsilon(attack: string, value: string) {
    epsilonOf.value = { ...epsilonOf.value, [attack]: value }
    void loadTable()
  }

  /** One ε for every attack ('' returns to the per-attack choices). */
  function chooseCommonEpsilon(value: string) {
    commonEpsilon.value = value
    void loadTable()
  }

  async function showPartial(value: boolean) {
    includePartial.value = value
    await loadTable()
    try {
      await loadCurveTable()
    } catch (failure) {
      error.value = apiErrorOf(failure)
    }
  }

  return {
    ids,
    comparison,
    table,
    curveTable,
    stepTimes,
    loadStepTimes,
    error,
    loading,
    epsilonOf,
    commonEpsilon,
    includePartial,
    choice,
    allEpsilons,
    choosable,
    load,
    loadTable,
    chooseEpsilon,
    chooseCommonEpsilon,
    showPartial
  }
})
