/**
 * The native file dialogs behind path-requests.ts: the user's pick is the only path a
 * path-taking request of the desktop app can carry.
 */
import path from 'node:path'
import { BrowserWindow, dialog, type FileFilter } from 'electron'
import type { ChooseRequest, PathChooser } from './path-requests'

export function nativeChooser(): PathChooser {
  return async (request: ChooseRequest) => {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
    // The renderer's string only says where the dialog opens, and only if it is absolute.
    const defaultPath = request.suggestion && path.isAbsolute(request.suggestion) ? request.suggestion : undefined
    const filters: FileFilter[] = request.extensions
      ? [
          { name: request.extensions.join(', '), extensions: request.extensions },
          { name: 'All files', extensions: ['*'] }
        ]
      : []
    if (request.kind === 'save-file') {
      const options = { title: request.title, defaultPath, filters }
      const answer = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
      return answer.canceled || !answer.filePath ? null : answer.filePath
    }
    const properties: ('openFile' | 'openDirectory' | 'createDirectory')[] =
      request.kind === 'open-file'
        ? ['openFile']
        : request.kind === 'open-folder'
          ? ['openDirectory']
          : ['openDirectory', 'createDirectory']
    const options = { title: request.title, defaultPath, filters: request.kind === 'open-file' ? filters : [], properties }
    const answer = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return answer.canceled || answer.filePaths.length === 0 ? null : answer.filePaths[0]
  }
}
