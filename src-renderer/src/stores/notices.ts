/**
 * The messages shown in the corner: every request failure nobody handled in place, and short
 * confirmations. Errors stay until dismissed (a user may be away); confirmations fade.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '@api/errors'

export interface Notice {
  id: number
  kind: 'error' | 'success'
  /** For errors: the request that failed, shown in the heading. */
  method?: string
  error?: ApiError
  /** For confirmations: the already translated text. */
  text?: string
}

const MAX_NOTICES = 5
const SUCCESS_MS = 5000

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([])
  let nextId = 1

  function add(notice: Omit<Notice, 'id'>): number {
    const id = nextId++
    notices.value = [...notices.value, { ...notice, id }].slice(-MAX_NOTICES)
    return id
  }

  function reportFailure(method: string | undefined, error: ApiError) {
    // Several requests failing for one reason (a lost connection) make one notice, not a pile.
    const same = notices.value.find((n) => n.kind === 'error' && n.error?.message === error.message)
    if (same) return same.id
    return add({ kind: 'error', method, error })
  }

  function confirm(text: string) {
    const id = add({ kind: 'success', text })
    setTimeout(() => dismiss(id), SUCCESS_MS)
    return id
  }

  function dismiss(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id)
  }

  return { notices, reportFailure, confirm, dismiss }
})
