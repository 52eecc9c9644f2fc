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
