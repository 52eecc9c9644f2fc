// `npm run package [-- electron-builder flags]`: the desktop installers (electron-builder.yml) in
// out/release/ — AppImage and deb on Linux, NSIS on Windows, dmg on macOS, for the platform it runs
// on unless flags say otherwise (e.g. `-- --linux deb`). Says in one paragraph what is missing
// when it cannot run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { findElectronBinary, root } from './electron-binary.mjs'

function stop(lines) {
  process.stderr.write(lines.join('\n') + '\n')
  process.exit(1)
}

const electron = findElectronBinary()
if (electron.missing) {
  stop([
    `AdvLab cannot be packaged here: ${electron.missing}.`,
    "Packaging needs the Electron binary (to compile better-sqlite3 for it) and access to Electron's",
    'download server (electron-builder fetches the Electron build of each target platform). Run',
    '"node node_modules/electron/install.js" and "npm install" on a machine that can reach it, then again.'
  ])
}
// The log's native addon, compiled for Electron's ABI by scripts/postinstall.mjs. electron-builder's
// own rebuild is off (npmRebuild: false): it would rebuild node_modules/better-sqlite3 in place for
// Electron and break the CLI, serve mode and the tests, which run in Node.
const native = path.join(root, '.electron-native/better_sqlite3.node')
if (!fs.existsSync(native)) {
  stop([
    `AdvLab cannot be packaged here: ${native} is missing.`,
    'It is better-sqlite3 compiled for Electron, made by "npm install" when the Electron binary and a C++',
    'tool-chain are present. Install the tool-chain (build-essential / Xcode / Visual Studio Build Tools) and run "npm install" again.'
  ])
}

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
run('npm', ['run', 'build'])
run(process.execPath, [
  path.join(root, 'node_modules/electron-builder/cli.js'),
  '--config',
  'electron-builder.yml',
  ...process.argv.slice(2)
])
