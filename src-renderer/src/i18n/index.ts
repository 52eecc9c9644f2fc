import { createI18n } from 'vue-i18n'
import en, { type Messages } from './en'
import zhCN from './zh-CN'
import type { Language } from '../preferences/language'

export const messages: Record<Language, Messages> = { en, 'zh-CN': zhCN }

export function createAppI18n(language: Language) {
  return createI18n<[Messages], Language, false>({
    legacy: false,
    locale: language,
    fallbackLocale: 'en',
    messages
  })
}
