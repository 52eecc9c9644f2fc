/** The colour theme of this window: light or dark, remembered between starts. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { initialTheme, type Theme } from '../preferences/theme'
import { readPreference, writePreference, THEME_KEY } from '../preferences/storage'

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

export const useThemeStore = defineStore('theme', () => {
  const theme = ref<Theme>(initialTheme(readPreference(THEME_KEY), systemPrefersDark()))

  function setTheme(next: Theme) {
    theme.value = next
    writePreference(THEME_KEY, next)
  }

  function toggle() {
    setTheme(theme.value === 'dark' ? 'light' : 'dark')
  }

  return { theme, setTheme, toggle }
})
