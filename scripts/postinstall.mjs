// Runs after `npm install`. Two jobs, neither of which may fail the install:
// 1. Fetch the Electron binary (electron's own install script; npm's allowScripts denies it so that
//    a machine without access to Electron's download server still installs).
// 2. Where the binary exists, compile better-sqlite3 for Electron's ABI into .electron-native/,
//    leaving node_modules/better-sqlite3 built for Node (tests, CLI, serve mode use that one).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { electronPackage, findElectronBinary, root } from './electron-binary.mjs'

function note(text) {
  process.stderr.write(`advlab postinstall: ${text}\n`)
}

if (process.env.ADVLAB_SKIP_ELECTRON) {
  note('ADVLAB_SKIP_ELECTRON is set; not fetching the Electron binary.')
} else if (fs.existsSync(path.join(electronPackage, 'install.js')) && findElectronBinary().missing) {
  const fetched = spawnSync(process.execPath, ['install.js'], { cwd: electronPackage, stdio: 'ignore', timeout: 300_000 })
  if (fetched.status !== 0) {
    note('the Electron binary could not be downloaded; "npm start" will explain, and "npm run serve" works without it.')
  }
}

const electron = findElectronBinary()
if (!electron.missing && !process.env.ADVLAB_SKIP_ELECTRON) {
  const version = JSON.parse(fs.readFileSync(path.join(electronPackage, 'package.json'), 'utf8')).version
  const work = path.join(root, '.electron-native')
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), path.join(work, 'better-sqlite3'), { recursive: true })
  const rebuild = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@electron/rebuild/lib/cli.js'),
      '--version',
      version,
      '--module-dir',
      path.join(work, 'better-sqlite3'),
      '--force'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  const built = path.join(work, 'better-sqlite3/build/Release/better_sqlite3.node')
  if (rebuild.status === 0 && fs.existsSync(built)) {
    fs.copyFileSync(built, path.join(work, 'better_sqlite3.node'))
    note(`better-sqlite3 compiled for Electron ${version} into .electron-native/.`)
  } else {
    note(
      'better-sqlite3 could not be compiled for Electron; the desktop app will not open its log until "npm install" succeeds with a compiler present.'
    )
  }
}
