/** The engine settings the service accepts (settings.get / settings.set): backend override and worker threads. */
import { defineStore } from 'pinia'
import type { Params, Result } from '@api/contract'
import { request } from '../api'
import { useLoadable } from '../composables/useAction'
import { useStatusStore } from './status'

export const useEngineSettingsStore = defineStore('engineSettings', () => {
  const {
    value: settings,
    loaded,
    error,
    load
  } = useLoadable(() => request('settings.get', {}, { inPlace: true }), null as Result<'settings.get'> | null)

  /** Saves and re-reads the status, whose engine line now names the backend in use. Throws the service's refusal. */
  async function save(params: Params<'settings.set'>) {
    settings.value = await request('settings.set', params, { inPlace: true })
    await useStatusStore().load()
    return settings.value
  }

  return { settings, loaded, error, load, save }
})
