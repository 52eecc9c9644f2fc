/** First-start choices and the project-name check the forms run before sending. */
import { describe, expect, it } from 'vitest'
import { loadRenderer } from './loadRenderer'

const { initialTheme } = await loadRenderer<{ initialTheme(stored: string | null, systemPrefersDark: boolean): string }>(
  'preferences/theme'
)
const { initialLanguage } = await loadRenderer<{ initialLanguage(stored: string | null, browser: string[]): string }>(
  'preferences/language'
)
const { projectNameProblem } = await loadRenderer<{
  projectNameProblem(name: string): { key: string; values?: Record<string, unknown> } | null
}>('forms/projectName')
const { serviceSocketUrl } = await loadRenderer<{ serviceSocketUrl(location: { protocol: string; host: string; search: string }): string }>(
  'api/chooseTransport'
)

describe('theme at start', () => {
  it('follows the system colour scheme when nothing is remembered', () => {
    expect(initialTheme(null, true)).toBe('dark')
    expect(initialTheme(null, false)).toBe('light')
  })
  it('a remembered choice wins over the system', () => {
    expect(initialTheme('light', true)).toBe('light')
    expect(initialTheme('dark', false)).toBe('dark')
  })
  it('ignores a remembered value it does not know', () => {
    expect(initialTheme('sepia', true)).toBe('dark')
  })
})

describe('language at start', () => {
  it('picks 简体中文 for any Chinese browser language, English otherwise', () => {
    expect(initialLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN')
    expect(initialLanguage(null, ['de-DE', 'en-US'])).toBe('en')
    expect(initialLanguage(null, [])).toBe('en')
  })
  it('a remembered choice wins', () => {
    expect(initialLanguage('en', ['zh-CN'])).toBe('en')
    expect(initialLanguage('zh-CN', ['en'])).toBe('zh-CN')
    expect(initialLanguage('fr', ['en'])).toBe('en')
  })
})

describe('project name check (the contract’s own schema)', () => {
  it('refuses an empty or blank name', () => {
    expect(projectNameProblem('')).toEqual({ key: 'projects.nameRequired' })
    expect(projectNameProblem('   ')).toEqual({ key: 'projects.nameRequired' })
  })
  it('refuses a name over the limit and says how long it is', () => {
    expect(projectNameProblem('x'.repeat(121))).toEqual({ key: 'projects.nameTooLong', values: { max: 120, length: 121 } })
  })
  it('accepts an ordinary name', () => {
    expect(projectNameProblem('MNIST distillation')).toBeNull()
  })
})

describe('serve-mode socket address', () => {
  it('is the page’s host on /api, carrying the page’s token', () => {
    expect(serviceSocketUrl({ protocol: 'http:', host: '127.0.0.1:5123', search: '?token=Ab-_9%2Fx' })).toBe(
      'ws://127.0.0.1:5123/api?token=Ab-_9%2Fx'
    )
  })
  it('uses wss behind https and omits a missing token', () => {
    expect(serviceSocketUrl({ protocol: 'https:', host: 'lab.example', search: '' })).toBe('wss://lab.example/api')
  })
})
