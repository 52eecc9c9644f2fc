/** A consistent copy of the experiment log (log.backup) and putting one back (log.restore). Both throw the service's refusal, shown in place. */
import { defineStore } from 'pinia'
import { request } from '../api'
import { useStatusStore } from './status'

export const useLogBackupsStore = defineStore('logBackups', () => {
  const backup = (path: string) => request('log.backup', { path }, { inPlace: true })

  /** After a restore the counts and paths of the status are the restored log's. */
  async function restore(path: string) {
    const answer = await request('log.restore', { path }, { inPlace: true })
    void useStatusStore().load()
    return answer
  }

  return { backup, restore }
})
