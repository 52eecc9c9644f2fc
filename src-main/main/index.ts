/**
 * Electron main process: app lifecycle, the window, and the IPC wiring to the lab service.
 * Everything else lives in src-main/lab, which knows nothing of Electron.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron'
import fs from 'node:fs'
import path from 'node:path'
import { LabService } from '../lab/service'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../api/wire'
import { windowOptions } from './window-options'
import { hardenApp } from './security'
import { createIpcRequestHandler } from './ipc'
import { APP_INDEX_URL, devRendererOrigin, isDevelopment, isRendererUrl } from './app-url'
import { registerAppScheme, serveAppProtocol } from './protocol'
import { PathGrants, substitutePaths } from './path-requests'
import { nativeChooser } from './dialogs'

const rendererRoot = path.join(__dirname, '../renderer')
const development = isDevelopment(process.argv, app.isPackaged)
// `npm run dev`: the renderer comes from electron-vite's dev server, with hot reload.
const devOrigin = devRendererOrigin(development, process.env.ELECTRON_RENDERER_URL)
const isOurPage = isRendererUrl(devOrigin)

// Before "ready": app:// must be a standard, secure scheme for the page to have its own origin.
registerAppScheme()

/** better-sqlite3 rebuilt for Electron's ABI by scripts/postinstall.mjs, when present. */
function electronNativeBinding(): string | undefined {
  const candidate = path.join(app.getAppPath(), '.electron-native/better_sqlite3.node')
  return fs.existsSync(candidate) ? candidate : undefined
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = process.env.ADVLAB_DATA_DIR || app.getPath('userData')
  const lab = new LabService({ dataDir, nativeBinding: electronNativeBinding(), electronVersion: process.versions.electron })
  hardenApp(app, session.defaultSession, { isAppUrl: isOurPage, devTools: development })
  serveAppProtocol(rendererRoot)

  // Paths come from the user's dialogs, or from the lab's own exports folder — never the renderer.
  const grants = new PathGrants([path.join(dataDir, 'exports')])
  const chooser = nativeChooser()
  ipcMain.handle(
    IPC_REQUEST_CHANNEL,
    createIpcRequestHandler(
      (method, params) => lab.handle(method, params),
      isOurPage,
      (method, params) => substitutePaths(method, params, chooser, grants)
    )
  )
  lab.subscribe((name, data) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, name, data)
  })

  const window = new BrowserWindow(windowOptions(path.join(__dirname, '../preload/index.cjs'), { devTools: development }))
  window.once('ready-to-show', () => window.show())
  if (devOrigin) await window.loadURL(`${devOrigin}/`)
  else await window.loadURL(APP_INDEX_URL)

  app.on('window-all-closed', () => {
    void lab.close().finally(() => app.quit())
  })
}

start().catch((error) => {
  console.error(`AdvLab could not start: ${(error as Error).message}`)
  app.exit(1)
})
