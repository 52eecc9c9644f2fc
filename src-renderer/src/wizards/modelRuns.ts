/** Completed model runs (train, distill, wrapped) the attack and evaluation wizards can pick from. */
import { computed, onMounted } from 'vue'
import { useRunsStore } from '../stores/runs'

export const MODEL_KINDS = ['train', 'distill', 'wrapped']

export function useModelRuns() {
  const runs = useRunsStore()
  onMounted(() => {
    if (!runs.loaded) void runs.load()
  })
  const models = computed(() => runs.rows.filter((r) => MODEL_KINDS.includes(r.kind) && r.status === 'completed'))
  return { runs, models }
}
