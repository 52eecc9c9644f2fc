// Builds what a start needs when the build is missing or older than the sources, so no start ever
// runs stale code: the desktop bundles (`npm start`, the renderer of `npm run serve`) and the
// CLI/serve bundle (`lab`, `npm run serve`).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'out')

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

export async function ensureBuilt() {
  const built = path.join(out, 'renderer/index.html')
  const sources = Math.max(newestMtime(path.join(root, 'src-renderer')), newestMtime(path.join(root, 'src-main')))
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return
  process.stderr.write('Building AdvLab (main, preload, renderer)…\n')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit']
  })
  if (result.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n')
    process.exit(1)
  }
}

// The CLI bundle. Each build gets a folder of its own (out/cli-<id>, beside out/renderer, which
// serve mode finds two levels up) and out/cli.json names the current one: a rebuild never pulls
// the files from under a `lab train` that is still running and will start more worker threads.
const CURRENT = path.join(out, 'cli.json')
const LOCK = path.join(out, 'cli.lock')
const CLI_SOURCES = ['src-main', 'package.json', 'cli.vite.config.ts', 'worker-entries.ts']
/** A build folder that is not the current one is removed once it is this old. */
const KEEP_OLD_BUILD_MS = 24 * 3600_000
/** A lock this old was left by a build that died; a build takes seconds. */
const STALE_LOCK_MS = 120_000

function cliSourcesMtime() {
  return Math.max(
    ...CLI_SOURCES.map((p) => path.join(root, p)).map((p) => (fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs))
  )
}

function currentCliBuild() {
  try {
    const current = JSON.parse(fs.readFileSync(CURRENT, 'utf8'))
    const dir = path.join(out, current.dir)
    if (fs.existsSync(path.join(dir, 'cli.js')) && current.sourcesAsOf >= cliSourcesMtime()) return dir
  } catch {
    // No build yet, or a half-written one: build.
  }
  return undefined
}

/**
 * The folder of an up-to-date CLI bundle (cli.js, serve.js, server.js and the worker entries),
 * building it first when the sources changed. Concurrent starts (a Slurm array, parallel tests)
 * build it once: the others wait for the lock and then use that build.
 */
export async function ensureCliBuilt() {
  for (;;) {
    const fresh = currentCliBuild()
    if (fresh) return fresh
    fs.mkdirSync(out, { recursive: true })
    if (takeLock()) {
      try {
        return currentCliBuild() ?? (await buildCli())
      } finally {
        fs.rmSync(LOCK, { force: true })
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function takeLock() {
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' })
    return true
  } catch (error) {
    if (error.code !== 'EEXIST') throw error
    try {
      if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { force: true })
    } catch {
      // Released meanwhile.
    }
    return false
  }
}

async function buildCli() {
  // Sources edited while the build reads them are newer than this, so the next start rebuilds.
  const sourcesAsOf = Date.now()
  const name = `cli-${sourcesAsOf.toString(36)}-${process.pid}`
  process.stderr.write('Building the lab CLI (sources changed)…\n')
  // In a process of its own: a build sets NODE_ENV=production, which would turn off the hot reload
  // of a dev server started here afterwards. Its output goes to stderr: stdout is the command's.
  const vite = path.join(root, 'node_modules/vite/bin/vite.js')
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'cli.vite.config.ts', '--configLoader', 'runner', '--outDir', path.join(out, name)],
    {
      cwd: root,
      stdio: ['ignore', 2, 2]
    }
  )
  if (result.status !== 0) {
    fs.rmSync(path.join(out, name), { recursive: true, force: true })
    // Vite has printed where; the message says what to do.
    throw new Error('the CLI build failed (see the messages above); fix the sources and start again.')
  }
  fs.writeFileSync(`${CURRENT}.${process.pid}`, JSON.stringify({ dir: name, sourcesAsOf }))
  fs.renameSync(`${CURRENT}.${process.pid}`, CURRENT)
  removeOldBuilds(name)
  return path.join(out, name)
}

function removeOldBuilds(current) {
  for (const entry of fs.readdirSync(out)) {
    if (!entry.startsWith('cli-') || entry === current) continue
    const full = path.join(out, entry)
    if (Date.now() - fs.statSync(full).mtimeMs > KEEP_OLD_BUILD_MS) fs.rmSync(full, { recursive: true, force: true })
  }
}
