/** Whether this window can reach the lab service, as told by the transport. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConnectionState } from '../api/connectionState'

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('connecting')
  const kind = ref<'desktop' | 'serve'>('serve')
  /** Set when the connection came back after a loss; cleared by the banner after a moment. */
  const recovered = ref(false)

  function update(next: ConnectionState) {
    recovered.value = state.value === 'reconnecting' && next === 'open'
    state.value = next
  }

  return { state, kind, recovered, update }
})
