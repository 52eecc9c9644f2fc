import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Where a worker entry is and how to start it. From the sources, `name.ts` runs through the tsx
 * boot file; in the desktop bundle, electron-vite emits `name.js` next to the main bundle.
 */
export function workerEntry(name: string, fromUrl: string): { file: string; workerData: Record<string, unknown> } {
  const here = path.dirname(fileURLToPath(fromUrl))
  if (fromUrl.endsWith('.ts')) {
    return {
      file: path.join(here, 'ts-worker-boot.mjs'),
      workerData: { entry: pathToFileURL(path.join(here, `${name}.ts`)).href }
    }
  }
  // The bundler may place this code in the main bundle or in a chunk folder below it.
  const candidates = [path.join(here, `${name}.js`), path.join(here, '..', `${name}.js`)]
  return { file: candidates.find((f) => fs.existsSync(f)) ?? candidates[0], workerData: {} }
}
