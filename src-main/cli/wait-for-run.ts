import type { ApiClient } from '../api/client'
import type { RunSummary } from '../api/runs'
import { runEnded } from '../api/run-ended'
import { ProgressPrinter } from './progress'

/**
 * Follows a run until it ends: progress on stderr, Ctrl+C cancels it (a second Ctrl+C leaves it
 * to be resumed later). Resolves with the final summary.
 */
export async function waitForRun(
  api: ApiClient,
  runId: number,
  options: { interactive: boolean; err: (t: string) => void; quiet: boolean }
): Promise<RunSummary> {
  const printer = new ProgressPrinter((t) => process.stderr.write(t), options.interactive)
  const offProgress = api.on('job.progress', (p) => {
    if (p.runId === runId && !options.quiet) printer.update(p)
  })
  let interrupts = 0
  const onSigint = () => {
    interrupts += 1
    if (interrupts === 1) {
      printer.done()
      options.err(`Cancelling run ${runId}… (Ctrl+C again to stop at once; resume later with: lab resume ${runId})`)
      void api.call('runs.cancel', { id: runId })
    } else process.exit(130)
  }
  process.on('SIGINT', onSigint)
  try {
    return await runEnded(api, runId)
  } finally {
    printer.done()
    offProgress()
    process.off('SIGINT', onSigint)
  }
}
