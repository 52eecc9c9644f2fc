import { createApiClient, type ApiClient } from '../../src-main/api/client'
import type { RunStatus, RunSummary } from '../../src-main/api/runs'
import { LabService } from '../../src-main/lab/service'
import { inProcessTransport } from '../../src-main/lab/in-process'
import { tempDir } from './temp'

/** A real lab service on a temporary data directory, and a client speaking the contract to it. */
export function testLab(label: string, dataDir?: string): { lab: LabService; api: ApiClient; dataDir: string; close: () => Promise<void> } {
  const t = dataDir ? { dir: dataDir, cleanup: () => {} } : tempDir(label)
  const lab = new LabService({ dataDir: t.dir })
  return {
    lab,
    api: createApiClient(inProcessTransport(lab)),
    dataDir: t.dir,
    close: async () => {
      await lab.close()
      t.cleanup()
    }
  }
}

const FINAL: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted']

/** Resolves when the run reaches a final status. */
export function finished(api: ApiClient, runId: number): Promise<RunSummary> {
  return new Promise((resolve) => {
    const check = async () => {
      const run = await api.request('runs.get', { id: runId })
      if (FINAL.includes(run.status)) {
        off()
        resolve(run)
      }
    }
    const off = api.on('runs.changed', (e) => {
      if (e.id === runId) void check()
    })
    void check()
  })
}
