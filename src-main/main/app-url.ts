/**
 * The desktop app's own address space: the built renderer is served under `app://advlab/` by a
 * privileged custom protocol (see protocol.ts), never from `file://`, where a CSP of 'self' would
 * admit any local file. Pure (no Electron import), so the checks are unit-tested in plain Node.
 */
import path from 'node:path'
import { CONTENT_TYPES } from '../server/content-types'

export const APP_SCHEME = 'app'
export const APP_HOST = 'advlab'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/**
 * Whether `candidate` is `root` or lies below it, compared on whole path segments: `/a/renderer`
 * holds `/a/renderer/x.js` but not `/a/renderer-evil/x.js` (a string prefix would say it does).
 */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate))
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/**
 * Whether a URL shows our renderer: scheme and host exactly `app://advlab`, no credentials, no
 * port. Used for navigation, redirects, frames and the IPC sender check.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === ''
}

export type AppFile = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 404; reason: string }

/**
 * The file of the built renderer an `app://advlab/…` URL names, or why there is none. The path is
 * decoded once, must carry no NUL, and must stay inside `rendererRoot` on whole segments.
 */
export function appFileFor(rendererRoot: string, url: string): AppFile {
  if (!isAppUrl(url)) return { ok: false, status: 404, reason: `not an address of the app: ${url}` }
  let relative: string
  try {
    relative = decodeURIComponent(new URL(url).pathname)
  } catch {
    return { ok: false, status: 400, reason: `the path of ${url} is not valid percent-encoded UTF-8` }
  }
  if (relative.includes('\0')) return { ok: false, status: 400, reason: `the path of ${url} carries a NUL byte` }
  if (relative === '/' || relative === '') relative = '/index.html'
  const file = path.resolve(rendererRoot, '.' + relative)
  if (!isInside(rendererRoot, file) || file === path.resolve(rendererRoot))
    return { ok: false, status: 404, reason: `${url} leaves the renderer folder` }
  return { ok: true, file, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }
}

/**
 * Development means DevTools: only for `npm run dev` (the `--dev` flag) of an unpackaged app. A
 * packaged app never opens them, whatever its command line says.
 */
export function isDevelopment(argv: readonly string[], isPackaged: boolean): boolean {
  return !isPackaged && argv.includes('--dev')
}

/**
 * `npm run dev`: the origin of electron-vite's dev server, which serves the renderer with hot
 * reload (it sets ELECTRON_RENDERER_URL). Honoured only in development, and only for an http
 * address on this machine; otherwise undefined and the window shows the built app:// renderer.
 */
export function devRendererOrigin(development: boolean, rendererUrl: string | undefined): string | undefined {
  if (!development || !rendererUrl) return undefined
  let parsed: URL
  try {
    parsed = new URL(rendererUrl)
  } catch {
    return undefined
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  return parsed.protocol === 'http:' && loopback && parsed.username === '' && parsed.password === '' ? parsed.origin : undefined
}

/** Whether a URL shows our renderer: app://advlab, or in development the dev server's origin. */
export function isRendererUrl(devOrigin: string | undefined): (url: string) => boolean {
  return (url) => {
    if (isAppUrl(url)) return true
    if (devOrigin === undefined) return false
    try {
      const parsed = new URL(url)
      return parsed.origin === devOrigin && parsed.username === '' && parsed.password === ''
    } catch {
      return false
    }
  }
}
