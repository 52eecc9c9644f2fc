// The end-to-end tests drive Debian's Chromium. On a fresh machine where we are root and apt-get
// exists, install it (with CJK fonts for the 简体中文 screens); otherwise say exactly what is missing.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

export const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium']

export function ensureChromium() {
  if (CHROMIUM_PATHS.some((p) => fs.existsSync(p))) return true
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (!isRoot || !hasApt) {
    process.stderr.write(
      "The end-to-end tests need Debian's Chromium at /usr/lib/chromium/chromium. Install it with\n" +
        '  sudo apt-get install chromium fonts-noto-cjk\nand run "npm test" again.\n'
    )
    return false
  }
  process.stdout.write("Installing Debian's chromium for the end-to-end tests (apt-get)…\n")
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'], {
    stdio: 'inherit',
    env
  })
  return install.status === 0 && CHROMIUM_PATHS.some((p) => fs.existsSync(p))
}
