/**
 * `app://advlab/` — the built renderer, served from the main process. Registered as a standard,
 * secure scheme so the page has a real origin (CSP 'self' means our files only, not all of file://).
 */
import fs from 'node:fs/promises'
import { protocol } from 'electron'
import { APP_SCHEME, appFileFor } from './app-url'
import { CONTENT_SECURITY_POLICY } from '../server/csp'

/**
 * Must run before the app is ready. `corsEnabled` lets the page's module scripts (fetched in CORS
 * mode, same origin) load; no cross-origin access follows, as no answer carries CORS headers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }
  ])
}

const HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache'
}

export function serveAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = appFileFor(rendererRoot, request.url)
    if (!target.ok)
      return new Response(target.reason, { status: target.status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } })
    try {
      const body = await fs.readFile(target.file)
      return new Response(body, { status: 200, headers: { ...HEADERS, 'Content-Type': target.contentType } })
    } catch {
      return new Response(`Not found: ${request.url}`, {
        status: 404,
        headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }
      })
    }
  })
}
