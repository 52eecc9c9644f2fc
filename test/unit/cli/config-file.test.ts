/**
 * Reading experiment config files (lab train / distill / attack / sweep): a UTF-8 byte-order mark
 * is accepted, and a config nested absurdly deep gets a message naming the file and the limit,
 * never "Maximum call stack size exceeded".
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_CONFIG_DEPTH, readConfigFile } from '../../../src-main/cli/config-file'
import { UsageError } from '../../../src-main/cli/args'
import { tempDir } from '../../support/temp'

const t = tempDir('config-file')
afterAll(t.cleanup)
const write = (name: string, text: string) => {
  const file = path.join(t.dir, name)
  fs.writeFileSync(file, text)
  return file
}
const BOM = '\ufeff'

function usageError(file: string): UsageError {
  try {
    readConfigFile(file)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error(`${file} was read without an error`)
}

describe('config files', () => {
  it('reads a JSON config that starts with a UTF-8 byte-order mark', () => {
    const file = write('bom.json', `${BOM}{"dataset": "mnist", "epochs": 1}`)
    expect(readConfigFile(file)).toEqual({ dataset: 'mnist', epochs: 1 })
  })

  it('reads a YAML config that starts with a UTF-8 byte-order mark, and its first key is not polluted by it', () => {
    const file = write('bom.yaml', `${BOM}dataset: mnist\nepochs: 1\n`)
    expect(Object.keys(readConfigFile(file))).toEqual(['dataset', 'epochs'])
  })

  it('refuses a YAML config nested 20,000 levels deep in flow style, naming the file and the limit', () => {
    const file = write('deep-flow.yaml', `model: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)
    expect(usageError(file).message).toBe(
      `The config file ${file} is nested deeper than ${MAX_CONFIG_DEPTH} levels (at line 1). AdvLab configs are a few levels deep; check the file.`
    )
  })

  it('refuses a YAML config nested 3,000 levels deep by indentation, naming the file and the limit', () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k:`)
    const file = write('deep-block.yaml', lines.join('\n') + `\n${' '.repeat(3_000)}v\n`)
    expect(usageError(file).message).toMatch(
      new RegExp(`^The config file ${file} is nested deeper than ${MAX_CONFIG_DEPTH} levels \\(at line \\d+\\)\\. `)
    )
  })

  it('refuses a JSON config nested 200,000 levels deep, naming the file and the limit', () => {
    const file = write('deep.json', `{"model": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`)
    expect(usageError(file).message).toBe(
      `The config file ${file} is nested deeper than ${MAX_CONFIG_DEPTH} levels (at line 1). AdvLab configs are a few levels deep; check the file.`
    )
  })

  it('refuses a YAML alias inside its own anchor instead of handing on a structure that contains itself', () => {
    const file = write('cycle.yaml', 'model: &m\n  arch: mlp\n  again: *m\n')
    expect(usageError(file).message).toBe(
      `The config file ${file} refers to itself (a YAML alias inside its own anchor); write the values out instead.`
    )
  })

  it('reads every example config in docs/configs unchanged', () => {
    const dir = path.resolve(__dirname, '../../../docs/configs')
    const files = fs.readdirSync(dir).filter((name) => /\.(ya?ml|json)$/.test(name))
    expect(files.length).toBeGreaterThan(0)
    for (const name of files) expect(Object.keys(readConfigFile(path.join(dir, name))).length).toBeGreaterThan(0)
  })

  it('accepts brackets inside quoted strings and comments without counting them as nesting', () => {
    const file = write('strings.yaml', `name: "${'['.repeat(100)}"\nnote: '${'{'.repeat(100)}' # ${'['.repeat(100)}\n`)
    expect(readConfigFile(file)).toEqual({ name: '['.repeat(100), note: '{'.repeat(100) })
  })
})
