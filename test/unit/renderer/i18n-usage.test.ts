/**
 * The messages and the screens agree: every key the renderer names exists in both languages, every
 * key in the messages is used somewhere (a dead key is text nobody reads, and usually a sign that a
 * screen shows a raw key instead), and no template shows English that bypasses `t(...)` — neither
 * between tags nor in a user-visible attribute (placeholder, title, aria-label, alt).
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { flatten, type Tree } from './messageKeys'
import { loadRenderer } from './loadRenderer'

const en = flatten((await loadRenderer<{ default: Tree }>('i18n/en')).default)
const zhCN = flatten((await loadRenderer<{ default: Tree }>('i18n/zh-CN')).default)

const root = path.resolve(__dirname, '../../../src-renderer/src')
const i18nDir = path.join(root, 'i18n')

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? files(full, ext) : ext.test(e.name) ? [full] : []
  })
}

/** The renderer's code, without the message files themselves (a key is not "used" by being defined). */
const sources = files(root, /\.(vue|ts)$/)
  .filter((file) => !file.startsWith(i18nDir))
  .map((file) => ({ file: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }))

/** Keys named in full: any quoted 'a.b.c' string that is a key (t('…'), titleKey: '…', step lists …). */
export function namedKeys(text: string, known: Set<string>): string[] {
  return [...text.matchAll(/['"`]([\w-]+(?:\.[\w-]+)+)['"`]/g)].map((m) => m[1]).filter((k) => known.has(k))
}

/** Key families built at run time: `wizard.kinds.${kind}` uses every key starting "wizard.kinds.", `maskingChecks.c${id}` every "maskingChecks.c…". */
export function keyPrefixes(text: string): string[] {
  return [...text.matchAll(/`([\w-]+\.[\w.-]*)\$\{/g)].map((m) => m[1])
}

/**
 * Attributes a user reads or hears, written as plain text in a template. Bound ones (`:title`)
 * go through t(); a literal one is English that never changes with the language.
 */
const READ_ATTRIBUTES = ['placeholder', 'title', 'aria-label', 'alt', 'label', 'aria-description', 'aria-roledescription']
export function literalAttributes(template: string): string[] {
  const found: string[] = []
  for (const name of READ_ATTRIBUTES) {
    for (const m of template.matchAll(new RegExp(`(?<![:@\\w-])${name}="([^"]*)"`, 'g'))) {
      if (/\p{L}/u.test(m[1])) found.push(`${name}="${m[1]}"`)
    }
  }
  return found
}

/** Text between tags that is not only whitespace, punctuation or a {{ }} interpolation. */
export function literalText(template: string): string[] {
  const found: string[] = []
  for (const m of template.replace(/<!--[\s\S]*?-->/g, '').matchAll(/>([^<>]+)</g)) {
    const text = m[1].replace(/\{\{[\s\S]*?\}\}/g, '').trim()
    if (/\p{L}/u.test(text)) found.push(text)
  }
  return found
}

const templateOf = (source: string) => source.match(/<template>([\s\S]*)<\/template>\s*$/)?.[1] ?? ''

/**
 * Keys no source names literally, but which are read on purpose. Keep this list tiny: each entry
 * says where the key is read.
 */
const READ_ELSEWHERE: Record<string, string> = {}

describe('the messages and the screens agree', () => {
  const known = new Set(en.keys())

  it('the finders notice a literal attribute, a literal text and a built key family', () => {
    expect(literalAttributes('<input placeholder="e.g. a path" :title="t(\'x\')" aria-label="Close" />')).toEqual([
      'placeholder="e.g. a path"',
      'aria-label="Close"'
    ])
    expect(literalText('<p>{{ t("a") }}</p><span>Save</span>')).toEqual(['Save'])
    expect(keyPrefixes('t(`wizard.kinds.${k}`) te(`maskingChecks.c${id}`)')).toEqual(['wizard.kinds.', 'maskingChecks.c'])
    expect(namedKeys("t('nav.home') + 'not.a.key'", new Set(['nav.home']))).toEqual(['nav.home'])
  })

  it('every key the renderer names exists in English and in 简体中文', () => {
    const missing: string[] = []
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/\b(?:t|te|\$t)\(\s*['"]([\w.-]+)['"]/g)) {
        for (const [language, messages] of [
          ['en', en],
          ['zh-CN', zhCN]
        ] as const) {
          if (!messages.has(m[1])) missing.push(`${file}: ${m[1]} (${language})`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('every key of the messages is used by some screen', () => {
    const used = new Set<string>(Object.keys(READ_ELSEWHERE))
    const prefixes: string[] = []
    for (const { text } of sources) {
      for (const key of namedKeys(text, known)) used.add(key)
      prefixes.push(...keyPrefixes(text))
    }
    const unused = [...known].filter((key) => !used.has(key) && !prefixes.some((p) => key.startsWith(p)))
    expect(unused).toEqual([])
  })

  it('no template shows English in a text node or a user-visible attribute', () => {
    const offenders = sources
      .filter(({ file }) => file.endsWith('.vue'))
      .flatMap(({ file, text }) => {
        const template = templateOf(text)
        return [...literalText(template), ...literalAttributes(template)].map((found) => `${file}: ${found}`)
      })
    expect(offenders).toEqual([])
  })
})
