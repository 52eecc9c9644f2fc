// `npm run serve -- [--port N] [--data-dir DIR]`: builds the renderer if needed, then serves it
// with the lab service on 127.0.0.1 (see src-main/server).
import { register } from 'tsx/esm/api'
import { ensureBuilt } from './ensure-built.mjs'

await ensureBuilt()
register()
const { serveMain } = await import('../src-main/server/main.ts')
process.exitCode = await serveMain(process.argv.slice(2))
