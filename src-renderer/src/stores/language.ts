/** The interface language of this window, remembered between starts. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { initialLanguage, type Language } from '../preferences/language'
import { readPreference, writePreference, LANGUAGE_KEY } from '../preferences/storage'

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])
}

export const useLanguageStore = defineStore('language', () => {
  const language = ref<Language>(initialLanguage(readPreference(LANGUAGE_KEY), browserLanguages()))

  function setLanguage(next: Language) {
    language.value = next
    writePreference(LANGUAGE_KEY, next)
  }

  return { language, setLanguage }
})
