import { CONTENT_SECURITY_POLICY } from '../server/csp'

/**
 * Hardening that applies to every window: no navigation away from the app (top frame or any
 * sub-frame), no new windows, no webviews, no permission granted or even reported as granted,
 * DevTools only in development, and our CSP on every response.
 *
 * Typed against the few Electron calls it makes (structurally compatible with App, Session and
 * WebContents), so test/unit/security/harden.test.ts drives this very code without the Electron
 * binary, which cannot be obtained on every machine.
 */
export interface PreventableEvent {
  preventDefault(): void
}
export interface FrameNavigationDetails extends PreventableEvent {
  url: string
  isMainFrame: boolean
}
export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-frame-navigate', listener: (details: FrameNavigationDetails) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  on(event: 'devtools-opened', listener: () => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  closeDevTools(): void
}
export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void
      ) => void
    ): void
  }
}
export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: ContentsLike) => void): unknown
}

export interface HardenOptions {
  isAppUrl: (url: string) => boolean
  /** Development only (see isDevelopment in app-url.ts). */
  devTools: boolean
}

export function hardenApp(app: AppLike, session: SessionLike, options: HardenOptions): void {
  const { isAppUrl } = options
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  // Answers "is this permission granted?" queries (navigator.permissions, device APIs): never.
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    // Frames are not part of the app: a sub-frame may not navigate at all, the top frame only
    // within app://advlab.
    contents.on('will-frame-navigate', (details) => {
      if (!details.isMainFrame || !isAppUrl(details.url)) details.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    if (!options.devTools) contents.on('devtools-opened', () => contents.closeDevTools())
  })
}
