/**
 * `lab study` from the terminal: a wrong preset is a usage error (exit 2); seed-paper without a
 * dataset says how to give one (exit 1) before anything starts; an empty log lists no studies; a
 * study report can be written to a file in the format its extension names.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')
const t = tempDir('study-cli')
afterAll(() => t.cleanup())
const lab = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin/lab.mjs'), ...args, '--data-dir', t.dir], {
    encoding: 'utf8',
    env: { ...process.env, ADVLAB_BACKEND: 'wasm' }
  })

describe('lab study', () => {
  it('refuses an unknown preset with the presets it knows', () => {
    const r = lab('study', 'run', 'seed-huge')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('Give one preset: seed-quick or seed-paper.')
  })
  it('seed-paper without a dataset says how to give CIFAR-10, and starts nothing', () => {
    const r = lab('study', 'run', 'seed-paper')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('needs a dataset')
    expect(r.stderr).toContain('--dataset')
    const list = lab('study', 'list', '--json')
    expect(list.status).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([])
  })
  it('a dataset name that is not registered is refused by name', () => {
    const r = lab('study', 'run', 'seed-paper', '--dataset', 'cifar10-not-here', '--estimate-only')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('There is no dataset named "cifar10-not-here"')
  })
  it('reports a study that does not exist as such', () => {
    const r = lab('study', 'report', '42', '--out', path.join(t.dir, 'r.html'))
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('There is no study with id 42')
    expect(fs.existsSync(path.join(t.dir, 'r.html'))).toBe(false)
  })
})
