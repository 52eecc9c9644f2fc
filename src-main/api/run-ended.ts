import type { ApiClient } from './client'
import { isFinalStatus, type RunSummary } from './runs'

/** Resolves with a run's summary once it has reached a final status, over any transport. */
export function runEnded(api: ApiClient, runId: number): Promise<RunSummary> {
  return new Promise((resolve) => {
    let done = false
    const check = async () => {
      const run = await api.request('runs.get', { id: runId })
      if (isFinalStatus(run.status) && !done) {
        done = true
        off()
        resolve(run)
      }
    }
    const off = api.on('runs.changed', (e) => {
      if (e.id === runId && isFinalStatus(e.status)) void check()
    })
    void check()
  })
}
