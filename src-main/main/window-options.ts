import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The options of every AdvLab window. Kept in one pure function so a unit test can assert the
 * security settings without an Electron binary (test/unit/security/window-options.test.ts).
 * `devTools` is true only in development (isDevelopment in app-url.ts).
 */
export function windowOptions(preloadPath: string, { devTools = false }: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'AdvLab',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools
    }
  }
}
