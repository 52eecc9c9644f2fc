/**
 * `npm run serve` / `lab serve`: the same renderer and lab service as the desktop app, reachable
 * from any Chromium on this machine.
 */
import path from 'node:path'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs, UsageError } from '../cli/args'
import { defaultDataDir } from '../cli/main'
import { startServer } from './server'

const here = path.dirname(fileURLToPath(import.meta.url))
export const DEFAULT_RENDERER_DIR = path.resolve(here, '../../out/renderer')

export async function serveMain(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs(argv, { values: ['port', 'data-dir', 'renderer-dir', 'token'], flags: ['dev'] })
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`serve: ${error.message}\nusage: npm run serve -- [--port N] [--data-dir DIR] [--token T] [--dev]\n`)
      return 2
    }
    throw error
  }
  const { options } = parsed
  const port = options.port === undefined ? 0 : Number(options.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port must be a whole number from 0 to 65535 (got "${options.port}").\n`)
    return 2
  }
  const dataDir = path.resolve(String(options['data-dir'] ?? defaultDataDir()))
  const token = options.token === undefined ? undefined : String(options.token)
  if (token !== undefined && !/^[A-Za-z0-9_-]{32,}$/.test(token)) {
    process.stderr.write(
      'serve: --token must be at least 32 characters of A–Z, a–z, 0–9, "-" or "_" (it guards the lab; make it random).\n'
    )
    return 2
  }
  if (options.dev) return serveDev({ dataDir, port, token })
  const rendererDir = path.resolve(String(options['renderer-dir'] ?? DEFAULT_RENDERER_DIR))
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`serve: the renderer is not built (no ${path.join(rendererDir, 'index.html')}). Run "npm run build" first.\n`)
    return 1
  }
  // A fixed token lets an open tab reconnect after a restart; by default every start gets a new one.
  const server = await startServer({ dataDir, rendererDir, port, token })
  process.stdout.write(
    `AdvLab is serving on ${server.url}\n  data directory: ${dataDir}\n  log: ${server.lab.ctx.logPath}\nOpen the address above in Chromium. Press Ctrl+C to stop.\n`
  )
  return untilStopped(server)
}

/** `--dev`: the renderer from Vite's dev server with hot reload (see dev.ts). */
async function serveDev(options: { dataDir: string; port: number; token?: string }): Promise<number> {
  const { startDevServer } = await import('./dev')
  const server = await startDevServer(options)
  process.stdout.write(
    `AdvLab (dev, hot reload) is serving on ${server.url}\n  data directory: ${options.dataDir}\nOpen the address above in Chromium; edits under src-renderer show at once. Press Ctrl+C to stop.\n`
  )
  return untilStopped(server)
}

function untilStopped(server: { close(): Promise<void> }): Promise<number> {
  const stop = async () => {
    await server.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return new Promise<number>(() => {})
}
