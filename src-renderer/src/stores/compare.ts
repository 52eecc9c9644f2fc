/**
 * The Compare screen's data: the comparison of the selected runs (configs, curves, agreement) and
 * the service's results table for them, with the user's table choices (ε per attack, partial
 * results). The table is only rendered, never recomputed; the exports take the same choices.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { Comparison } from '@api/compare'
import type { ResultsTable, TableChoice } from '@api/results-table'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export const useCompareStore = defineStore('compare', () => {
  const ids = ref<number[]>([])
  const comparison = ref<Comparison | null>(null)
  const table = ref<ResultsTable | null>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  /** ε chosen per attack ('' or absent: every ε it was run at) and whether partial results show. */
  const epsilonOf = ref<Record<string, string>>({})
  const includePartial = ref(false)

  const choice = computed<TableChoice>(() => {
    const epsilons = Object.fromEntries(Object.entries(epsilonOf.value).filter(([, v]) => v !== '').map(([attack, v]) => [attack, [Number(v)]]))
    return { includePartial: includePartial.value, ...(Object.keys(epsilons).length ? { epsilons } : {}) }
  })

  /** Attacks with more than one ε, named as their columns are: those the user can narrow. */
  const choosable = computed(() => {
    const byAttack = new Map<string, number[]>()
    for (const a of table.value?.available ?? []) byAttack.set(a.attack, [...new Set([...(byAttack.get(a.attack) ?? []), ...a.epsilons])].sort((x, y) => x - y))
    const name = (attack: string) => table.value?.columns.find((c) => c.attack === attack)?.title.replace(/ \(ε=.*\)$/, '') ?? attack
    return [...byAttack].filter(([, eps]) => eps.length > 1).map(([attack, epsilons]) => ({ attack, name: name(attack), epsilons }))
  })

  async function loadTable() {
    if (ids.value.length === 0) return
    try {
      table.value = await request('results.table', { ids: ids.value, ...choice.value }, { inPlace: true })
    } catch (failure) {
      error.value = apiErrorOf(failure)
    }
  }

  /** Loads the comparison and the table of these runs; the choices start afresh for a new selection. */
  async function load(selection: number[]) {
    if (selection.join() !== ids.value.join()) {
      epsilonOf.value = {}
      includePartial.value = false
    }
    ids.value = selection
    if (selection.length === 0) return
    loading.value = true
    try {
      const [cmp, results] = await Promise.all([
        request('runs.compare', { ids: selection, maxPoints: 300, agreement: true }, { inPlace: true }),
        request('results.table', { ids: selection, ...choice.value }, { inPlace: true })
      ])
      comparison.value = cmp
      table.value = results
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  function chooseEpsilon(attack: string, value: string) {
    epsilonOf.value = { ...epsilonOf.value, [attack]: value }
    void loadTable()
  }

  function showPartial(value: boolean) {
    includePartial.value = value
    void loadTable()
  }

  return { ids, comparison, table, error, loading, epsilonOf, includePartial, choice, choosable, load, loadTable, chooseEpsilon, showPartial }
})
