/**
 * In the desktop app a file path never comes from the renderer. Every request that reads or
 * writes a path (dataset registration, exports, backup, restore, weights) has its path fields
 * replaced in the main process by what the user picks in a native file dialog — or kept, when the
 * main process already holds that path: one the user picked earlier in this session, or one under
 * the lab's own exports folder. A string a renderer script made up opens a dialog (with the string
 * only as the dialog's starting point); it is never used as is.
 *
 * Pure (no Electron import): the dialog is passed in, so test/unit/security/path-requests.test.ts
 * drives this code in plain Node.
 */
import path from 'node:path'
import type { ApiError } from '../api/errors'
import { isInside } from './app-url'

/** What the dialog asks for. */
export type PathKind = 'open-file' | 'open-folder' | 'save-file' | 'choose-folder'

export interface PathField {
  field: string
  kind: PathKind
  /** The request is valid without this field (then nothing is read or written there). */
  optional?: boolean
  /** The dialog's title. */
  title: string
  /** File-name extensions offered by the dialog (without the dot). */
  extensions?: string[]
}

/**
 * Every path-taking request of the contract and its path fields. A unit test checks that every
 * field named path/file/out/dir in the contract's request schemas is listed here.
 */
export const PATH_FIELDS: Readonly<Record<string, readonly PathField[]>> = {
  'datasets.detect': [{ field: 'path', kind: 'open-folder', title: 'Choose the dataset folder' }],
  'datasets.register': [{ field: 'path', kind: 'open-folder', title: 'Choose the dataset folder to register' }],
  'import.bundle': [{ field: 'path', kind: 'open-file', title: 'Choose the AdvLab bundle to import', extensions: ['zip'] }],
  'export.bundle': [{ field: 'path', kind: 'save-file', title: 'Save the runs as a bundle', extensions: ['zip'] }],
  'export.table': [{ field: 'path', kind: 'save-file', optional: true, title: 'Save the results table' }],
  'export.report': [{ field: 'path', kind: 'save-file', title: 'Save the report', extensions: ['html'] }],
  'export.mlflow': [{ field: 'path', kind: 'choose-folder', title: 'Choose the folder for the MLflow store' }],
  'export.tensorboard': [{ field: 'path', kind: 'choose-folder', title: 'Choose the folder for the TensorBoard logs' }],
  'log.backup': [{ field: 'path', kind: 'save-file', title: 'Save a backup of the log', extensions: ['sqlite'] }],
  'log.restore': [{ field: 'path', kind: 'open-file', title: 'Choose the backup to restore', extensions: ['sqlite'] }],
  'weights.import': [{ field: 'file', kind: 'open-file', title: 'Choose the weights to import', extensions: ['safetensors'] }],
  'weights.export': [{ field: 'out', kind: 'save-file', title: 'Save the weights', extensions: ['safetensors'] }],
  'studies.report': [{ field: 'path', kind: 'save-file', optional: true, title: 'Save the study report' }]
}

export type Access = 'read' | 'write'

export const accessOf = (kind: PathKind): Access => (kind === 'open-file' || kind === 'open-folder' ? 'read' : 'write')

/**
 * The paths the main process holds: picked by the user in a dialog this session — for reading, or
 * for writing (which includes reading back); a picked folder covers what lies below it — and the
 * folders it owns (the lab's exports folder).
 */
export class PathGrants {
  private readonly picked = new Map<string, { access: Access; folder: boolean }>()

  constructor(private readonly ownedFolders: readonly string[] = []) {}

  grant(file: string, kind: PathKind): void {
    const key = path.resolve(file)
    const access = accessOf(kind)
    const folder = kind === 'open-folder' || kind === 'choose-folder'
    const before = this.picked.get(key)
    this.picked.set(key, { access: before?.access === 'write' ? 'write' : access, folder: folder || (before?.folder ?? false) })
  }

  allows(file: string, access: Access): boolean {
    if (!path.isAbsolute(file) || file.includes('\0')) return false
    const key = path.resolve(file)
    const enough = (granted: Access) => granted === 'write' || granted === access
    for (const [picked, grant] of this.picked) {
      if (!enough(grant.access)) continue
      if (picked === key || (grant.folder && isInside(picked, key))) return true
    }
    // Strictly below an owned folder, on whole path segments (…/exports-evil is not …/exports).
    return this.ownedFolders.some((folder) => key !== path.resolve(folder) && isInside(folder, key))
  }
}

export interface ChooseRequest extends PathField {
  method: string
  /** What the renderer sent, if a string: only where the dialog starts. */
  suggestion?: string
}

/** Shows the dialog; resolves with the absolute path the user picked, or null when cancelled. */
export type PathChooser = (request: ChooseRequest) => Promise<string | null>

export type Substituted = { ok: true; params: unknown } | { ok: false; error: ApiError }

/**
 * `params` with every path field of `method` taken from the user (through `choose`) or from a path
 * the main process holds. Other requests, and params that are not an object (the lab's schema
 * check answers those), pass unchanged.
 */
export async function substitutePaths(method: unknown, params: unknown, choose: PathChooser, grants: PathGrants): Promise<Substituted> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(PATH_FIELDS, method)) return { ok: true, params }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { ok: true, params }
  const result: Record<string, unknown> = { ...(params as Record<string, unknown>) }
  for (const spec of PATH_FIELDS[method]) {
    const given = result[spec.field]
    if (given === undefined && spec.optional) continue
    const access = accessOf(spec.kind)
    if (typeof given === 'string' && grants.allows(given, access)) continue
    const chosen = await choose({ ...spec, method, suggestion: typeof given === 'string' ? given : undefined })
    if (chosen === null) {
      return {
        ok: false,
        error: {
          code: 'invalid_params',
          field: spec.field,
          message: `No ${spec.kind.endsWith('folder') ? 'folder' : 'file'} was chosen for "${spec.field}" of ${method}, so nothing was done. The desktop app takes paths only from its file dialog: choose one there to go on.`
        }
      }
    }
    grants.grant(chosen, spec.kind)
    result[spec.field] = chosen
  }
  return { ok: true, params: result }
}
