// Builds main, preload and renderer when the build is missing or older than the sources, so
// `npm start` and `npm run serve` never show a stale app.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

export async function ensureBuilt() {
  const built = path.join(root, 'out/renderer/index.html')
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
