// `npm start`: launches the desktop app, or says in one paragraph why it cannot and what to do.
import { spawn } from 'node:child_process'
import { findElectronBinary, root } from './electron-binary.mjs'
import { ensureBuilt } from './ensure-built.mjs'

const electron = findElectronBinary()
if (electron.missing) {
  process.stderr.write(
    [
      `AdvLab cannot open its desktop window: ${electron.missing}.`,
      'To get it, run "node node_modules/electron/install.js" on a machine that can reach Electron\'s',
      'download server (or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron binary, or put',
      'the Electron zip in the cache named by electron_config_cache), then "npm start" again.',
      'Meanwhile the same app runs in any Chromium: "npm run serve" prints an address to open.'
    ].join('\n') + '\n'
  )
  process.exit(1)
}
await ensureBuilt()
const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 1))
