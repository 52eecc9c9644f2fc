import { createApiClient, type ApiClient } from '../../src-main/api/client'
import { runEnded } from '../../src-main/api/run-ended'
import { LabService } from '../../src-main/lab/service'
import { inProcessTransport } from '../../src-main/lab/in-process-transport'
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

/** Resolves when the run reaches a final status. */
export const finished = runEnded
