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
import { useDatasetsStore } from './datasets'
import { useRunsStore } from './runs'
import { useStudiesStore } from './studies'

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
  const datasets = useDatasetsStore()
  const runs = useRunsStore()
  const studies = useStudiesStore()

  connectionStore.update(connection.state())
  const stops = [
    onRequestFailure((method, error) => notices.reportFailure(method, error)),
    onEvent('projects.changed', () => {
      void projects.load()
      void status.load() // the counts changed too
    }),
    onEvent('job.progress', (progress) => {
      jobs.update(progress)
      runs.onProgress(progress)
    }),
    onEvent('datasets.changed', () => {
      if (datasets.loaded) void datasets.load()
    }),
    onEvent('datasets.progress', (progress) => datasets.onProgress(progress)),
    onEvent('runs.changed', (change) => {
      if (change.status !== 'running' && change.status !== 'queued') jobs.finishRun(change.id)
      runs.reloadSoon()
    }),
    onEvent('log.changed', () => runs.reloadSoon()),
    onEvent('studies.progress', (progress) => studies.onProgress(progress)),
    onEvent('evaluation.result', () => runs.reloadSoon()),
    onEvent('evaluation.verdict', () => runs.reloadSoon()),
    connection.onStateChange((state) => {
      const wasLost = connectionStore.state === 'reconnecting'
      connectionStore.update(state)
      if (state === 'open' && wasLost) {
        void status.load()
        void projects.load()
        if (datasets.loaded) void datasets.load()
        runs.reloadSoon()
      }
    })
  ]
  return () => stops.forEach((stop) => stop())
}
