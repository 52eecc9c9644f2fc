/**
 * The desktop app's address checks: the renderer is app://advlab (not file://), and paths are
 * compared on whole segments, so a sibling folder such as …/renderer-evil/ is never "ours".
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { APP_INDEX_URL, appFileFor, isAppUrl, isDevelopment, isInside } from '../../../src-main/main/app-url'

const root = path.resolve(__dirname, '../../..')
const renderer = '/opt/AdvLab/resources/app.asar/out/renderer'

describe('whole-segment path containment', () => {
  it('holds the folder itself and what lies below it', () => {
    expect(isInside(renderer, renderer)).toBe(true)
    expect(isInside(renderer, `${renderer}/assets/index.js`)).toBe(true)
  })

  it('does not hold a sibling whose name merely starts the same (…/renderer-evil/)', () => {
    expect(isInside(renderer, `${renderer}-evil/index.html`)).toBe(false)
    expect(isInside(renderer, `${renderer}-evil`)).toBe(false)
    expect(isInside(renderer, `${renderer}/../renderer-evil/x`)).toBe(false)
  })

  it('does not hold the parent or a path that climbs out', () => {
    expect(isInside(renderer, path.dirname(renderer))).toBe(false)
    expect(isInside(renderer, `${renderer}/../../secret`)).toBe(false)
    expect(isInside(renderer, '/etc/passwd')).toBe(false)
  })
})

describe('the app URL check (navigation, redirects, frames, IPC senders)', () => {
  it('accepts pages of app://advlab', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true)
    expect(isAppUrl('app://advlab/index.html#/runs/3')).toBe(true)
  })

  it('refuses file:// — the renderer folder and, above all, a sibling of it', () => {
    expect(isAppUrl(`file://${renderer}/index.html`)).toBe(false)
    expect(isAppUrl(`file://${renderer}-evil/index.html`)).toBe(false)
  })

  it('refuses look-alike hosts, credentials, ports and other schemes', () => {
    for (const url of [
      'app://advlab.evil/index.html',
      'app://advlab@evil/index.html',
      'app://user:pw@advlab/',
      'app://advlab:8080/',
      'https://advlab/',
      'http://127.0.0.1:5173/',
      'not a url',
      ''
    ]) {
      expect(isAppUrl(url), url).toBe(false)
    }
  })
})

describe('files served under app://advlab', () => {
  it('maps a URL to the file below the renderer folder with its content type', () => {
    expect(appFileFor(renderer, 'app://advlab/')).toEqual({
      ok: true,
      file: `${renderer}/index.html`,
      contentType: 'text/html; charset=utf-8'
    })
    expect(appFileFor(renderer, 'app://advlab/assets/app.js')).toMatchObject({
      ok: true,
      file: `${renderer}/assets/app.js`,
      contentType: 'text/javascript; charset=utf-8'
    })
  })

  it('never maps outside the renderer folder, however the path is encoded', () => {
    for (const url of [
      'app://advlab/..%2f..%2fsecret',
      'app://advlab/%2e%2e/%2e%2e/secret',
      'app://advlab/..%2frenderer-evil/index.html',
      'app://advlab/..%5c..%5csecret'
    ]) {
      const target = appFileFor(renderer, url)
      if (target.ok) expect(isInside(renderer, target.file), url).toBe(true)
    }
    expect(appFileFor(renderer, 'app://advlab/..%2frenderer-evil/index.html').ok).toBe(false)
  })

  it('answers a bad escape or a NUL with 400 and another origin with 404', () => {
    expect(appFileFor(renderer, 'app://advlab/%E0%A4%A')).toMatchObject({ ok: false, status: 400 })
    expect(appFileFor(renderer, 'app://advlab/index.html%00')).toMatchObject({ ok: false, status: 400 })
    expect(appFileFor(renderer, `file://${renderer}/index.html`)).toMatchObject({ ok: false, status: 404 })
  })

  it('is what the main process loads: app://advlab/index.html, never a file:// page', () => {
    const main = fs.readFileSync(path.join(root, 'src-main/main/index.ts'), 'utf8')
    expect(main).toContain('loadURL(APP_INDEX_URL)')
    expect(main).not.toMatch(/loadFile\(|pathToFileURL|file:\/\//)
    expect(main).toContain('registerAppScheme()')
  })
})

describe('development (DevTools) is only an unpackaged app started with --dev', () => {
  it('is off for a packaged app, even with --dev', () => {
    expect(isDevelopment(['/opt/AdvLab/advlab', '--dev'], true)).toBe(false)
  })
  it('is off for npm start and on for npm run dev', () => {
    expect(isDevelopment(['electron', '.'], false)).toBe(false)
    expect(isDevelopment(['electron', '.', '--dev'], false)).toBe(true)
  })
})
