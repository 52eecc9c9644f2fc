/**
 * Saved views of the Runs table (columns, grouping, sort), kept in the browser's localStorage like
 * the theme and language: a view is the user's, not the log's, so it stays on this machine.
 */
import type { GroupBy } from './groups'
import type { SortKey } from './rows'

export interface TableView {
  columns: SortKey[]
  groupBy: GroupBy
  sortKey: SortKey
  direction: 'asc' | 'desc'
}
export interface SavedView extends TableView {
  name: string
}

export const DEFAULT_VIEW: TableView = { columns: [], groupBy: 'study', sortKey: 'id', direction: 'desc' }

const VIEWS_KEY = 'advlab.runs.views'
const CURRENT_KEY = 'advlab.runs.current'

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>

function read<T>(storage: Storage, key: string, fallback: T, valid: (v: unknown) => boolean): T {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? 'null')
    return valid(parsed) ? (parsed as T) : fallback
  } catch {
    // A value another version wrote, or a hand-edited one: start from the default.
    return fallback
  }
}

const isView = (v: unknown): boolean =>
  !!v && typeof v === 'object' && Array.isArray((v as TableView).columns) && typeof (v as TableView).sortKey === 'string'

export const loadSavedViews = (storage: Storage): SavedView[] =>
  read<unknown[]>(storage, VIEWS_KEY, [], Array.isArray).filter(isView) as SavedView[]
export const loadCurrentView = (storage: Storage): TableView => ({
  ...DEFAULT_VIEW,
  ...read<Partial<TableView>>(storage, CURRENT_KEY, {}, isView)
})
export const storeCurrentView = (storage: Storage, view: TableView): void => storage.setItem(CURRENT_KEY, JSON.stringify(view))

/** Saves a view under its name, replacing one of the same name; returns the new list. */
export function saveView(storage: Storage, name: string, view: TableView): SavedView[] {
  const views = [...loadSavedViews(storage).filter((v) => v.name !== name), { name, ...view }].sort((a, b) => a.name.localeCompare(b.name))
  storage.setItem(VIEWS_KEY, JSON.stringify(views))
  return views
}

export function deleteView(storage: Storage, name: string): SavedView[] {
  const views = loadSavedViews(storage).filter((v) => v.name !== name)
  storage.setItem(VIEWS_KEY, JSON.stringify(views))
  return views
}
