export const THEMES = ['light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

export function isTheme(value: unknown): value is Theme {
  return THEMES.includes(value as Theme)
}

/** A remembered choice wins; on first start the system's prefers-color-scheme decides. */
export function initialTheme(stored: string | null, systemPrefersDark: boolean): Theme {
  if (isTheme(stored)) return stored
  return systemPrefersDark ? 'dark' : 'light'
}
