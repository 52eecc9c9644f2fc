// `npm start`: launches the desktop app, or says in one paragraph why it cannot and what to do.
// `npm run dev` (`--dev`): electron-vite's dev server instead of the build — the renderer with hot
// reload, main and preload rebuilt (and the app restarted) when their sources change.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { findElectronBinary, root } from './electron-binary.mjs'
import { ensureBuilt } from './ensure-built.mjs'

const dev = process.argv.includes('--dev')
const electron = findElectronBinary()
if (electron.missing) {
  process.stderr.write(
    [
      `AdvLab cannot open its desktop window: ${electron.missing}.`,
      'To get it, run "node node_modules/electron/install.js" on a machine that can reach Electron\'s',
      'download server (or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron binary, or put',
      'the Electron zip in the cache named by electron_config_cache), then "npm start" again.',
      dev
        ? 'Meanwhile the same app runs in any Chromium with hot reload: "npm run serve -- --dev" prints an address to open.'
        : 'Meanwhile the same app runs in any Chromium: "npm run serve" prints an address to open.'
    ].join('\n') + '\n'
  )
  process.exit(1)
}
let child
if (dev) {
  // electron-vite finds Electron through ELECTRON_EXEC_PATH, so ELECTRON_OVERRIDE_DIST_PATH works here too.
  const electronVite = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js')
  const args = [electronVite, 'dev', '--watch', '--', ...process.argv.slice(2)]
  child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: electron.path } })
} else {
  await ensureBuilt()
  child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
}
child.on('exit', (code) => process.exit(code ?? 1))
