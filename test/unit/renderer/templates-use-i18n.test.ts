/**
 * Every string a user reads goes through i18n: templates contain no bare words between tags, and
 * every `t('key')` used in the renderer exists in the English messages.
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { flatten, type Tree } from './messageKeys'
import { loadRenderer } from './loadRenderer'

const en = (await loadRenderer<{ default: Tree }>('i18n/en')).default

const root = path.resolve(__dirname, '../../../src-renderer/src')

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? files(full, ext) : ext.test(e.name) ? [full] : []
  })
}

/** Text between tags that is not only whitespace, punctuation or a {{ }} interpolation. */
export function bareText(template: string): string[] {
  const withoutComments = template.replace(/<!--[\s\S]*?-->/g, '')
  const found: string[] = []
  for (const m of withoutComments.matchAll(/>([^<>]+)</g)) {
    const text = m[1].replace(/\{\{[\s\S]*?\}\}/g, '').trim()
    if (/\p{L}/u.test(text)) found.push(text)
  }
  return found
}

const templateOf = (source: string) => source.match(/<template>([\s\S]*)<\/template>\s*$/)?.[1] ?? ''

describe('i18n coverage of the screens', () => {
  it('the bare-text finder itself notices an untranslated word', () => {
    expect(bareText('<p>{{ t("a") }}</p><span>Save</span>')).toEqual(['Save'])
  })

  it('no template shows a bare word', () => {
    const offenders = files(root, /\.vue$/).flatMap((file) =>
      bareText(templateOf(fs.readFileSync(file, 'utf8'))).map((text) => `${path.relative(root, file)}: "${text}"`)
    )
    expect(offenders).toEqual([])
  })

  it('every literal t(...) key used in the renderer exists', () => {
    const keys = new Set(flatten(en).keys())
    const missing: string[] = []
    for (const file of files(root, /\.(vue|ts)$/)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        if (!keys.has(m[1])) missing.push(`${path.relative(root, file)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})
