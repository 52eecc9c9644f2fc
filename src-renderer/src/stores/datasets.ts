/**
 * The registered datasets (datasets.list), their preview grids (datasets.preview, fetched once per
 * dataset) and the progress of a registration under way (datasets.progress events).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { Dataset, DatasetPreview, DatasetProgress, Detection } from '@api/datasets'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export const useDatasetsStore = defineStore('datasets', () => {
  const datasets = ref<Dataset[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  const previews = ref<Record<number, DatasetPreview>>({})
  const previewErrors = ref<Record<number, ApiError>>({})
  const progress = ref<DatasetProgress | null>(null)

  async function load() {
    loading.value = true
    try {
      datasets.value = await request('datasets.list', {}, { inPlace: !loaded.value })
      loaded.value = true
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  /** The preview grid is a PNG of a few kB per class; read once and kept for the session. */
  async function loadPreview(id: number) {
    if (previews.value[id]) return
    try {
      const preview = await request('datasets.preview', { dataset: id }, { inPlace: true })
      previews.value = { ...previews.value, [id]: preview }
    } catch (failure) {
      previewErrors.value = { ...previewErrors.value, [id]: apiErrorOf(failure) }
    }
  }

  /** Throws the service's error: the add form shows it in place. */
  async function detect(path: string): Promise<Detection> {
    return request('datasets.detect', { path }, { inPlace: true })
  }

  async function register(path: string, name?: string): Promise<{ dataset: Dataset; created: boolean }> {
    try {
      const answer = await request('datasets.register', name ? { path, name } : { path }, { inPlace: true })
      upsert(answer.dataset)
      return answer
    } finally {
      progress.value = null
    }
  }

  async function remove(id: number) {
    await request('datasets.remove', { dataset: id }, { inPlace: true })
    datasets.value = datasets.value.filter((d) => d.id !== id)
  }

  function upsert(dataset: Dataset) {
    datasets.value = [...datasets.value.filter((d) => d.id !== dataset.id), dataset].sort((a, b) => a.id - b.id)
  }

  function onProgress(next: DatasetProgress) {
    progress.value = next.total > 0 && next.step >= next.total ? null : next
  }

  return { datasets, loaded, loading, error, previews, previewErrors, progress, load, loadPreview, detect, register, remove, onProgress }
})
