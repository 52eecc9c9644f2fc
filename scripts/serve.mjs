// `npm run serve -- [--port N] [--data-dir DIR] [--token T] [--dev]`: serves the renderer with the
// lab service on 127.0.0.1 (see src-main/server), from the CLI's JavaScript build. Without --dev
// the built renderer is served (built first when stale); with --dev Vite's dev server serves it
// from the sources, with hot reload.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, ensureCliBuilt } from './ensure-built.mjs'

let built
try {
  if (!process.argv.includes('--dev')) await ensureBuilt()
  built = await ensureCliBuilt()
} catch (error) {
  process.stderr.write(`serve: ${error.message}\n`)
  process.exit(1)
}
const { serveMain } = await import(pathToFileURL(path.join(built, 'serve.js')).href)
process.exitCode = await serveMain(process.argv.slice(2))
