/** Completed model runs (trained, distilled, imported, wrapped) the attack and evaluation wizards can pick from. */
import { computed, onMounted } from 'vue'
import { isModelRunKind } from '@api/runs'
import { useRunsStore } from '../stores/runs'

export function useModelRuns() {
  const runs = useRunsStore()
  onMounted(() => {
    if (!runs.loaded) void runs.load()
  })
  const models = computed(() => runs.rows.filter((r) => isModelRunKind(r.kind) && r.status === 'completed'))
  return { runs, models }
}

/** The dataset of the first of these model runs that is registered (its image shape bounds L2 ε), or null. */
export function datasetOfRuns<D extends { id: number; name: string }>(
  models: { id: number; datasetId?: number | null; dataset?: string | null }[],
  datasets: D[],
  runIds: number[]
): D | null {
  const run = models.find((m) => runIds.includes(m.id))
  if (!run) return null
  return datasets.find((d) => d.id === run.datasetId) ?? datasets.find((d) => d.name.toLowerCase() === run.dataset?.toLowerCase()) ?? null
}

/** Whether a model run matches the filter box: its name, "#id" / id or dataset contains every word typed. */
export function modelMatches(model: { id: number; name: string; dataset?: string | null }, filter: string): boolean {
  const haystack = `${model.name} #${model.id} ${model.dataset ?? ''}`.toLowerCase()
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}
