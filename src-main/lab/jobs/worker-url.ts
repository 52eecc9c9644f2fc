import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Where a worker thread's entry is and how to start it, named by its path under src-main/lab
 * (e.g. "jobs/worker-entry", "eval/shard-worker"). From the sources the `.ts` file runs through
 * the tsx boot file beside this one; in the desktop bundle electron-vite emits `<basename>.js`
 * next to the main bundle (see electron.vite.config.ts).
 */
export function workerEntry(labPath: string): { file: string; workerData: Record<string, unknown> } {
  const self = import.meta.url
  const here = path.dirname(fileURLToPath(self))
  if (self.endsWith('.ts')) {
    return {
      file: path.join(here, 'ts-worker-boot.mjs'),
      workerData: { entry: pathToFileURL(path.join(here, '..', `${labPath}.ts`)).href }
    }
  }
  // The bundler may place this code in the main bundle or in a chunk folder below it.
  const name = `${path.basename(labPath)}.js`
  const candidates = [path.join(here, name), path.join(here, '..', name)]
  return { file: candidates.find((f) => fs.existsSync(f)) ?? candidates[0], workerData: {} }
}
