/**
 * `lab` starts from its JavaScript build, not from the TypeScript sources through tsx (which cost
 * seconds per start): it loads no TypeScript and no tsx, its build holds the worker entries and
 * each worker starts from there, and a bad option is still refused by name with the usage.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')
const t = tempDir('built-cli')
afterAll(() => t.cleanup())
const lab = (args: string[], nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, path.join(root, 'bin/lab.mjs'), ...args, '--data-dir', t.dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ADVLAB_BACKEND: 'wasm' }
  })

describe('lab from its build', () => {
  it('loads no TypeScript and no tsx, for --help and for a command that opens the log', () => {
    const trace = ['--import', path.join(__dirname, 'fixtures/report-ts-loads.mjs')]
    for (const args of [['--help'], ['status', '--json']]) {
      const r = lab(args, trace)
      expect(r.status).toBe(0)
      expect(r.stderr).toContain('typescript loaded: 0\n')
    }
  })
  it("leaves ECharts (the reports' charts, half a second of CPU) unloaded until a report is written", () => {
    const r = lab(['status', '--json'], ['--import', path.join(__dirname, 'fixtures/report-ts-loads.mjs')])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('echarts loaded: 0\n')
  })
  it('answers status --json with one JSON document on stdout, from the current build', () => {
    const r = lab(['status', '--json'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).dataDir).toBe(t.dir)
    const current = JSON.parse(fs.readFileSync(path.join(root, 'out/cli.json'), 'utf8')) as { dir: string }
    for (const file of ['cli.js', 'serve.js', 'worker-entry.js', 'probe-entry.js', 'shard-worker.js', 'replica-worker.js'])
      expect(fs.existsSync(path.join(root, 'out', current.dir, file)), file).toBe(true)
  })
  it('starts every worker thread from the build, each bringing the engine up', () => {
    const current = JSON.parse(fs.readFileSync(path.join(root, 'out/cli.json'), 'utf8')) as { dir: string }
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/bundle-smoke.mjs'), path.join(root, 'out', current.dir)], {
      encoding: 'utf8'
    })
    expect(r.stdout.match(/^ok /gm)).toHaveLength(4)
    expect(r.status).toBe(0)
  })
  it('refuses an unknown option by name, with the command usage, exit 2', () => {
    const r = lab(['status', '--jsn'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('lab: Unknown option --jsn; this command takes --json, --help.')
    expect(r.stderr).toContain('usage: lab status [--json]')
  })
  it('refuses --data-dir without a folder instead of opening the default log', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/lab.mjs'), 'status', '--data-dir'], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('Option --data-dir needs a value')
  })
})
