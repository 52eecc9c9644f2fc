/** The desktop window's security settings; a regression here must fail CI. */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { windowOptions } from '../../../src-main/main/window-options'
import { createBridge } from '../../../src-main/preload/bridge'
import { CONTENT_SECURITY_POLICY } from '../../../src-main/server/csp'

const root = path.resolve(__dirname, '../../..')

describe('the AdvLab window', () => {
  const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences!

  it('isolates the renderer: context isolation, sandbox, no Node integration anywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('has DevTools off unless development asks for them', () => {
    expect(prefs.devTools).toBe(false)
    expect(windowOptions('/p.cjs', { devTools: true }).webPreferences!.devTools).toBe(true)
  })

  it('loads only our preload script', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })

  it('denies navigation, new windows, webviews and permissions in the main process', () => {
    const source = fs.readFileSync(path.join(root, 'src-main/main/security.ts'), 'utf8')
    expect(source).toContain("setWindowOpenHandler(() => ({ action: 'deny' }))")
    expect(source).toMatch(/will-navigate[\s\S]*preventDefault/)
    expect(source).toMatch(/will-attach-webview[\s\S]*preventDefault/)
    expect(source).toContain('setPermissionRequestHandler((_contents, _permission, callback) => callback(false))')
  })

  it('exposes through the preload only the contract bridge', () => {
    const preload = fs.readFileSync(path.join(root, 'src-main/preload/index.ts'), 'utf8')
    const exposures = [...preload.matchAll(/exposeInMainWorld\(\s*'(\w+)'/g)].map((m) => m[1])
    expect(exposures).toEqual(['advlab'])
    expect(preload).not.toMatch(/exposeInMainWorld\([^,]+,\s*ipcRenderer\s*\)/)
    const bridge = createBridge({ invoke: async () => null, on: () => null, removeListener: () => null })
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'request'])
  })

  it('carries a strict CSP: no remote content, no eval, no inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/)
    const scriptSrc = CONTENT_SECURITY_POLICY.split(';').find((d) => d.trim().startsWith('script-src'))!
    expect(scriptSrc).not.toContain('unsafe-inline')
  })

  it('states the same CSP in the renderer page as the main process and serve mode send', () => {
    const html = fs.readFileSync(path.join(root, 'src-renderer/index.html'), 'utf8')
    const meta = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''))
  })
})
