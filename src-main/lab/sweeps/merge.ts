/**
 * Merging a sweep's bundles (one per cell, written by `lab sweep cell`) into one log through the
 * contract. Each bundle is imported on its own: a damaged one is reported and the rest are still
 * imported. The import registers the built-in datasets before the first bundle (import.bundle), so
 * merged models are linked to MNIST and can be attacked again here. Merging is idempotent: a run
 * already in the log is skipped, and a re-run of a cell replaces that cell's earlier result.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { ApiClient } from '../../api/client'

export const BUNDLE_SUFFIX = '.advlab.zip'

export interface MergeReport {
  folder: string
  bundles: number
  imported: number
  skipped: number
  /** Earlier results of re-run cells, moved to the trash. */
  replaced: number
  /** Runs of bundles older than the log's result of their cell, not imported. */
  superseded: number
  /** Every run of the sweep now in the log (imported or already here). */
  runIds: number[]
  /** The bundles that could not be imported, and why; nothing of them was written. */
  failed: Array<{ bundle: string; error: string }>
}

/** The bundles in a folder, in name order (cell order, as `lab sweep cell` names them). */
export function bundlesIn(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(BUNDLE_SUFFIX))
    .sort()
    .map((f) => path.join(folder, f))
}

export async function mergeBundles(
  api: ApiClient,
  folder: string,
  onBundle: (bundle: string, done: number, total: number) => void = () => {}
): Promise<MergeReport> {
  const bundles = bundlesIn(folder)
  const report: MergeReport = {
    folder,
    bundles: bundles.length,
    imported: 0,
    skipped: 0,
    replaced: 0,
    superseded: 0,
    runIds: [],
    failed: []
  }
  for (const [i, bundle] of bundles.entries()) {
    try {
      const r = await api.request('import.bundle', { path: bundle })
      report.imported += r.imported.length
      report.skipped += r.skipped.length
      report.replaced += r.replaced.length
      report.superseded += r.superseded.length
      report.runIds.push(...r.imported.map((x) => x.id), ...r.skipped.map((x) => x.id))
    } catch (error) {
      report.failed.push({ bundle, error: (error as Error).message })
    }
    onBundle(bundle, i + 1, bundles.length)
  }
  return report
}
