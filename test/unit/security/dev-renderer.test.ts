/**
 * `npm run dev` shows the renderer from electron-vite's dev server. The main process honours that
 * address only in development and only on this machine over http; the window's own-page check
 * (navigation, frames, the IPC sender) then admits that one origin beside app://advlab.
 */
import { describe, expect, it } from 'vitest'
import { devRendererOrigin, isRendererUrl } from '../../../src-main/main/app-url'

describe('devRendererOrigin', () => {
  it('is the dev server origin in development', () => {
    expect(devRendererOrigin(true, 'http://localhost:5173')).toBe('http://localhost:5173')
    expect(devRendererOrigin(true, 'http://127.0.0.1:5174/')).toBe('http://127.0.0.1:5174')
  })
  it('is ignored outside development, so a packaged or plain start always shows the built app', () => {
    expect(devRendererOrigin(false, 'http://localhost:5173')).toBeUndefined()
    expect(devRendererOrigin(true, undefined)).toBeUndefined()
  })
  it('refuses another machine, another scheme, credentials and garbage', () => {
    for (const url of [
      'http://example.com:5173',
      'https://localhost:5173',
      'file:///tmp/index.html',
      'http://user:pw@localhost:5173',
      'not a url'
    ])
      expect(devRendererOrigin(true, url), url).toBeUndefined()
  })
})

describe('isRendererUrl', () => {
  it('admits app://advlab always, and the dev origin only when there is one', () => {
    const dev = isRendererUrl('http://localhost:5173')
    expect(dev('app://advlab/index.html')).toBe(true)
    expect(dev('http://localhost:5173/#/runs')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
    expect(dev('http://evil.example/')).toBe(false)
    expect(dev('http://user@localhost:5173/')).toBe(false)
    const built = isRendererUrl(undefined)
    expect(built('app://advlab/index.html')).toBe(true)
    expect(built('http://localhost:5173/')).toBe(false)
  })
})
