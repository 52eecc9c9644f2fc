/** The projects in the log, kept fresh by projects.changed events. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'
import type { Project } from '@api/projects'
import { request } from '../api'
import { apiErrorOf } from '../api/errors'

export const useProjectsStore = defineStore('projects', () => {
  const projects = ref<Project[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  async function load() {
    loading.value = true
    try {
      // Before the first answer the list shows the failure itself; later failures become notices.
      projects.value = await request('projects.list', {}, { inPlace: !loaded.value })
      loaded.value = true
      error.value = null
    } catch (failure) {
      error.value = apiErrorOf(failure)
    } finally {
      loading.value = false
    }
  }

  /** Throws the service's error so the form can show it under its field. */
  async function create(name: string): Promise<Project> {
    const project = await request('projects.create', { name }, { inPlace: true })
    upsert(project)
    return project
  }

  async function rename(id: number, name: string): Promise<Project> {
    const project = await request('projects.rename', { id, name }, { inPlace: true })
    upsert(project)
    return project
  }

  // The answer arrives before the event's reload does; show it at once, in the service's order.
  function upsert(project: Project) {
    const others = projects.value.filter((p) => p.id !== project.id)
    projects.value = [...others, project].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
  }

  return { projects, loaded, loading, error, load, create, rename }
})
