/**
 * hardenApp, the main process's window hardening, driven through the calls it makes on Electron's
 * App, Session and WebContents (the Electron binary cannot be obtained on every machine, so these
 * stand-ins record what the code registered, and the test fires the events Electron would).
 */
import { describe, expect, it } from 'vitest'
import { EventEmitter } from 'node:events'
import { hardenApp, type AppLike, type ContentsLike, type SessionLike } from '../../../src-main/main/security'
import { isAppUrl } from '../../../src-main/main/app-url'

function setUp(devTools: boolean) {
  const registered: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
    check?: (contents: unknown, permission: string) => boolean
    headers?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0]
  } = {}
  const session: SessionLike = {
    setPermissionRequestHandler: (handler) => void (registered.request = handler),
    setPermissionCheckHandler: (handler) => void (registered.check = handler),
    webRequest: { onHeadersReceived: (listener) => void (registered.headers = listener) }
  }
  const app = new EventEmitter() as EventEmitter & AppLike
  hardenApp(app, session, { isAppUrl, devTools })
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((details: { url: string }) => { action: 'deny' }),
    devToolsClosed: 0,
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      this.openHandler = handler
    },
    closeDevTools() {
      this.devToolsClosed++
    }
  })
  app.emit('web-contents-created', {}, contents as unknown as ContentsLike)
  return { registered, contents }
}

/** Fires a navigation-style event; true when the handler prevented it. */
function prevented(contents: EventEmitter, name: string, url: string, isMainFrame = true): boolean {
  let stopped = false
  const event = { preventDefault: () => void (stopped = true) }
  if (name === 'will-frame-navigate') contents.emit(name, { ...event, url, isMainFrame })
  else contents.emit(name, event, url)
  return stopped
}

describe('permissions', () => {
  it('denies every permission request', () => {
    const { registered } = setUp(false)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fileSystem', 'openExternal']) {
      let granted: boolean | undefined
      registered.request!({}, permission, (g) => (granted = g))
      expect(granted, permission).toBe(false)
    }
  })

  it('has a permission-check handler that reports every permission as not granted', () => {
    const { registered } = setUp(false)
    expect(registered.check, 'no setPermissionCheckHandler').toBeTypeOf('function')
    for (const permission of ['media', 'geolocation', 'clipboard-sanitized-write', 'hid', 'serial', 'usb'])
      expect(registered.check!({}, permission)).toBe(false)
  })
})

describe('navigation', () => {
  it('lets the top frame move within app://advlab only', () => {
    const { contents } = setUp(false)
    expect(prevented(contents, 'will-navigate', 'app://advlab/index.html#/runs')).toBe(false)
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true)
    expect(prevented(contents, 'will-navigate', 'file:///opt/AdvLab/out/renderer-evil/index.html')).toBe(true)
    expect(prevented(contents, 'will-redirect', 'http://127.0.0.1:1/')).toBe(true)
  })

  it('handles will-frame-navigate: no sub-frame navigates, the top frame only within the app', () => {
    const { contents } = setUp(false)
    expect(contents.listenerCount('will-frame-navigate'), 'no will-frame-navigate handler').toBe(1)
    expect(prevented(contents, 'will-frame-navigate', 'app://advlab/index.html', true)).toBe(false)
    expect(prevented(contents, 'will-frame-navigate', 'https://evil.example/', true)).toBe(true)
    expect(prevented(contents, 'will-frame-navigate', 'app://advlab/index.html', false)).toBe(true)
    expect(prevented(contents, 'will-frame-navigate', 'file:///etc/passwd', false)).toBe(true)
  })

  it('denies new windows and webviews', () => {
    const { contents } = setUp(false)
    expect(contents.openHandler!({ url: 'app://advlab/index.html' })).toEqual({ action: 'deny' })
    let stopped = false
    contents.emit('will-attach-webview', { preventDefault: () => (stopped = true) })
    expect(stopped).toBe(true)
  })
})

describe('DevTools', () => {
  it('are closed as soon as they open in production', () => {
    const { contents } = setUp(false)
    contents.emit('devtools-opened')
    expect(contents.devToolsClosed).toBe(1)
  })

  it('stay open in development', () => {
    const { contents } = setUp(true)
    contents.emit('devtools-opened')
    expect(contents.devToolsClosed).toBe(0)
  })
})

describe('CSP', () => {
  it('is set on every response the session receives', () => {
    const { registered } = setUp(false)
    let headers: Record<string, string[]> = {}
    registered.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy'][0]).toContain("default-src 'self'")
    expect(headers['Content-Type']).toEqual(['text/html'])
  })
})
