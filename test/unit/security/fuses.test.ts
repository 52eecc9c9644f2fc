/**
 * The packaging step's fuses (scripts/after-pack.mjs, electron-builder's afterPack hook), run on a
 * stand-in binary that carries Electron's fuse wire (sentinel, version, length, one byte per fuse),
 * since the Electron binary itself cannot be downloaded on every machine. @electron/fuses reads
 * the wire back.
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import fuses from '@electron/fuses'
import { afterPack, electronBinaryPath, FUSES } from '../../../scripts/after-pack.mjs'
import { tempDir } from '../../support/temp'

const { FuseV1Options, getCurrentFuseWire } = fuses
const root = path.resolve(__dirname, '../../..')
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const ENABLE = 49
const DISABLE = 48

/** A file shaped like an Electron binary as far as fuses go: every fuse of the wire enabled. */
function fakeElectron(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const wire = Buffer.from([1, 8, ...Array(8).fill(ENABLE)])
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 0x90)]))
}

describe('the fuses the packaging step sets', () => {
  it('turns off RunAsNode, NODE_OPTIONS and the inspect flags; turns on ASAR integrity and app-from-ASAR-only; no extra file:// privileges', () => {
    expect(FUSES).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
    })
  })

  it('flips them in the packaged Linux binary', async () => {
    const { dir, cleanup } = tempDir('fuses')
    const context = {
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'advlab', appInfo: { productFilename: 'AdvLab' } }
    }
    fakeElectron(path.join(dir, 'advlab'))
    await afterPack(context)
    const wire = (await getCurrentFuseWire(path.join(dir, 'advlab'))) as unknown as Record<number, number>
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE)
    // Fuses it does not name keep Electron's defaults.
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE)
    cleanup()
  })

  it('finds the binary electron-builder produced on each platform', () => {
    const packager = { executableName: 'advlab', appInfo: { productFilename: 'AdvLab' } }
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/advlab')
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe('/o/AdvLab.exe')
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe('/o/AdvLab.app')
  })
})

describe('the packaging configuration', () => {
  const config = YAML.parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'))
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))

  it('runs the fuse hook after packing and packs the app into an ASAR archive', () => {
    expect(config.afterPack).toBe('./scripts/after-pack.mjs')
    expect(config.asar).toBe(true)
  })

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
  })

  it('is what npm run package runs, after the build', () => {
    expect(pkg.scripts.package).toBe('node scripts/package.mjs')
    const script = fs.readFileSync(path.join(root, 'scripts/package.mjs'), 'utf8')
    expect(script).toMatch(/run\('npm', \['run', 'build'\]\)[\s\S]*electron-builder\/cli\.js'\),\s*'--config',\s*'electron-builder\.yml'/)
  })

  it('ships better-sqlite3 compiled for Electron and never rebuilds node_modules in place', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.files).toContain('.electron-native/better_sqlite3.node')
  })
})
