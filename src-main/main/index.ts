/**
 * Electron main process: app lifecycle, the window, and the IPC wiring to the lab service.
 * Everything else lives in src-main/lab, which knows nothing of Electron.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { LabService } from '../lab/service'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../api/wire'
import { windowOptions } from './window-options'
import { hardenApp } from './security'
import { createIpcRequestHandler } from './ipc'

const rendererIndex = path.join(__dirname, '../renderer/index.html')
const rendererRoot = pathToFileURL(path.dirname(rendererIndex)).href
const isAppUrl = (url: string) => url.startsWith(rendererRoot)

/** better-sqlite3 rebuilt for Electron's ABI by scripts/postinstall.mjs, when present. */
function electronNativeBinding(): string | undefined {
  const candidate = path.join(app.getAppPath(), '.electron-native/better_sqlite3.node')
  return fs.existsSync(candidate) ? candidate : undefined
}

async function start(): Promise<void> {
  await app.whenReady()
  const lab = new LabService({
    dataDir: process.env.ADVLAB_DATA_DIR || app.getPath('userData'),
    nativeBinding: electronNativeBinding(),
    electronVersion: process.versions.electron
  })
  hardenApp(app, session.defaultSession, isAppUrl)

  ipcMain.handle(IPC_REQUEST_CHANNEL, createIpcRequestHandler((method, params) => lab.handle(method, params), isAppUrl))
  lab.subscribe((name, data) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, name, data)
  })

  const window = new BrowserWindow(windowOptions(path.join(__dirname, '../preload/index.cjs')))
  window.once('ready-to-show', () => window.show())
  await window.loadFile(rendererIndex)

  app.on('window-all-closed', () => {
    void lab.close().finally(() => app.quit())
  })
}

start().catch((error) => {
  console.error(`AdvLab could not start: ${(error as Error).message}`)
  app.exit(1)
})
