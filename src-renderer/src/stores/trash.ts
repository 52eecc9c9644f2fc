/**
 * Runs moved to the trash (trash.list), restored or removed for good, and bundles imported into
 * the log. The list follows the log: it reloads on log.changed once something has read it.
 */
import { defineStore } from 'pinia'
import type { Result } from '@api/contract'
import { onEvent, request } from '../api'
import { useLoadable } from '../composables/useAction'

export const useTrashStore = defineStore('trash', () => {
  const {
    value: entries,
    loaded,
    error,
    load: read
  } = useLoadable(() => request('trash.list', {}, { inPlace: true }), [] as Result<'trash.list'>)
  let following = false

  async function load() {
    if (!following) {
      following = true
      onEvent('log.changed', () => void read())
    }
    await read()
  }

  /** Failures of these two go to the notices (the request reports them); the list is re-read either way. */
  async function restore(id: number): Promise<boolean> {
    try {
      await request('trash.restore', { ids: [id] })
      return true
    } catch {
      return false
    } finally {
      await read()
    }
  }
  async function empty(): Promise<Result<'trash.empty'> | null> {
    try {
      return await request('trash.empty', {})
    } catch {
      return null
    } finally {
      await read()
    }
  }

  /** Throws the service's refusal: the import form shows it in place. */
  const importBundle = (path: string) => request('import.bundle', { path }, { inPlace: true })

  return { entries, loaded, error, load, restore, empty, importBundle }
})
