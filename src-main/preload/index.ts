/**
 * The one bridge between the sandboxed renderer and the lab: `window.advlab` carries contract
 * requests and events, and nothing else (no ipcRenderer, no Node).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld('advlab', createBridge(ipcRenderer))
