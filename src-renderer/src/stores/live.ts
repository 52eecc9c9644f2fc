/**
 * Keeps the stores in step with the service: reloads on events, reloads everything after a lost
 * connection comes back (events sent meanwhile were missed), and sends unhandled request failures
 * to the notices. Returns the function that stops all of it.
 */
import { onEvent, onRequestFailure } from '../api'
import type { ConnectionListener, ConnectionState } from '../api/connectionState'
import { useConnectionStore } from './connection'
import { useJobsStore } from './jobs'
import { useNoticesStore } from './notices'
import { useProjectsStore } from './projects'
import { useStatusStore } from './status'

export interface ConnectionSource {
  state(): ConnectionState
  onStateChange(listener: ConnectionListener): () => void
}

export function keepStoresLive(connection: ConnectionSource): () => void {
  const connectionStore = useConnectionStore()
  const notices = useNoticesStore()
  const projects = useProjectsStore()
  const status = useStatusStore()
  const jobs = useJobsStore()

  connectionStore.update(connection.state())
  const stops = [
    onRequestFailure((method, error) => notices.reportFailure(method, error)),
    onEvent('projects.changed', () => {
      void projects.load()
      void status.load() // the counts changed too
    }),
    onEvent('job.progress', (progress) => jobs.update(progress)),
    connection.onStateChange((state) => {
      const wasLost = connectionStore.state === 'reconnecting'
      connectionStore.update(state)
      if (state === 'open' && wasLost) {
        void status.load()
        void projects.load()
      }
    })
  ]
  return () => stops.forEach((stop) => stop())
}
