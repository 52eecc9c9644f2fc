/**
 * Remembered choices of this window (language, theme) in localStorage. Reading never throws:
 * storage can be disabled, and then the app simply forgets between starts.
 */
export const LANGUAGE_KEY = 'advlab.language'
export const THEME_KEY = 'advlab.theme'

export function readPreference(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null
  } catch {
    return null
  }
}

export function writePreference(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value)
  } catch {
    // Storage disabled: the choice holds for this session only.
  }
}
