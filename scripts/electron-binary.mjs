// Where the Electron binary is, or why it is not there. Shared by start and postinstall.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const electronPackage = path.join(root, 'node_modules/electron')

/** Returns { path } when a usable binary exists, or { missing: reason }. */
export function findElectronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH
    const candidate = ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe']
      .map((name) => path.join(dist, name))
      .find((file) => fs.existsSync(file))
    return candidate
      ? { path: candidate }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set to ${dist}, but no Electron executable is in it` }
  }
  if (!fs.existsSync(electronPackage)) return { missing: 'the electron package is not installed (node_modules/electron is absent)' }
  const pathTxt = path.join(electronPackage, 'path.txt')
  if (!fs.existsSync(pathTxt))
    return {
      missing:
        "the Electron binary was never downloaded (node_modules/electron/dist is absent; its download from Electron's release server failed or was skipped)"
    }
  const binary = path.join(electronPackage, 'dist', fs.readFileSync(pathTxt, 'utf8').trim())
  return fs.existsSync(binary)
    ? { path: binary }
    : { missing: `the Electron binary named in node_modules/electron/path.txt is missing (${binary})` }
}
