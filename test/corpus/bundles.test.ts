/**
 * The bundle part of the malformed-input corpus: `.advlab.zip` bundles (and unpacked bundle
 * folders) built in code from one good export, each damaged in one way — paths that climb out,
 * symbolic links, truncation, schema violations, tampered sizes and hashes, NaN metrics, configs
 * that are null, arrays or of the wrong types, links to runs nobody has. Every case must end in a
 * `bad_input` error naming the bundle and what is wrong; afterwards the service still answers, the
 * log passes its integrity check, no table's row count changed, the data directory lists exactly
 * what it did, and nothing was written outside it.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError } from '../../src-main/api/errors'
import { exportBundle } from '../../src-main/lab/store/export/bundle-export'
import { addRun, freshLog, type Lab } from '../unit/log/fixtures'
import { harmSince, listTree, NO_HARM, openCorpusLab, snapshot, type CorpusLab } from './harness'

let c: CorpusLab
let source: Lab
/** The good bundle's files (manifest.json included), which each case copies and damages. */
let good: Record<string, Uint8Array>
const tally = { cases: 0, cleanErrors: 0, crashes: 0 }

beforeAll(async () => {
  c = openCorpusLab('bundles')
  // The built-ins are registered by the first import; done now, so no case is charged with them.
  await c.api.request('datasets.list', {})
  source = freshLog('bundles-source')
  const model = addRun(source.db, {
    name: 'model',
    metrics: { 'train/loss': [2, 1, 0.5] },
    evals: [['fgsm', 'Linf', 0.1, 0.4, 100, [true, false, true]]]
  })
  const weights = path.join(source.dir, 'runs', String(model), 'weights.bin')
  fs.mkdirSync(path.dirname(weights), { recursive: true })
  fs.writeFileSync(weights, crypto.randomBytes(3000))
  source.db
    .prepare("INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'weights', ?, ?, 3000, 'now')")
    .run(model, `runs/${model}/weights.bin`, crypto.createHash('sha256').update(fs.readFileSync(weights)).digest('hex'))
  const attackConfig = {
    runId: model,
    attack: 'fgsm',
    norm: 'Linf',
    epsilon: 0.1,
    n: 100,
    settings: {},
    repeats: 1,
    seed: 0,
    targetRunIds: [model]
  }
  const attack = addRun(source.db, { name: 'attack', kind: 'attack', config: attackConfig })
  const file = path.join(source.dir, 'good.advlab.zip')
  exportBundle(source.db, source.dir, [model, attack], file)
  good = unzipSync(new Uint8Array(fs.readFileSync(file)))
  // The good bundle itself imports (into a scratch lab): the corpus damages something that works.
  const scratch = openCorpusLab('bundles-good')
  try {
    expect((await scratch.api.request('import.bundle', { path: file })).imported).toHaveLength(2)
  } finally {
    await scratch.close()
  }
})

afterAll(async () => {
  process.stdout.write(`bundles corpus: ${tally.cases} cases, ${tally.cleanErrors} clean errors, ${tally.crashes} crashes\n`)
  await c?.close()
  source?.cleanup()
})

const dec = new TextDecoder()
const manifestOf = (files: Record<string, Uint8Array>): Record<string, any> => JSON.parse(dec.decode(files['manifest.json']))
const hash = (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex')
const nameEnding = (files: Record<string, Uint8Array>, end: string): string => Object.keys(files).find((n) => n.endsWith(end))!

/**
 * The good bundle with `change` applied to a copy of its files and manifest. Files the change
 * rewrote get their checksum updated, unless `keepHashes` (a tampering case) is set.
 */
function damaged(
  change: (files: Record<string, Uint8Array>, manifest: Record<string, any>) => void,
  keepHashes = false
): Record<string, Uint8Array> {
  const files = { ...good }
  const manifest = manifestOf(good)
  change(files, manifest)
  if (!keepHashes)
    for (const name of Object.keys(manifest.files)) if (files[name] && files[name] !== good[name]) manifest.files[name] = hash(files[name])
  if (!files['manifest.json'] || files['manifest.json'] === good['manifest.json'])
    files['manifest.json'] = strToU8(JSON.stringify(manifest))
  return files
}

const editJson = (files: Record<string, Uint8Array>, end: string, edit: (v: any) => unknown): void => {
  const name = nameEnding(files, end)
  files[name] = strToU8(JSON.stringify(edit(JSON.parse(dec.decode(files[name])))))
}

/** The import's answer; an internal error or a throw is a crash. */
async function importOutcome(
  bundle: string
): Promise<{ kind: 'error'; error: ApiError } | { kind: 'accepted' } | { kind: 'crash'; detail: string }> {
  try {
    const response = await c.lab.handle('import.bundle', { path: bundle })
    if (response.ok) return { kind: 'accepted' }
    if (response.error.code === 'internal') return { kind: 'crash', detail: response.error.message }
    return { kind: 'error', error: response.error }
  } catch (error) {
    return { kind: 'crash', detail: `handle threw: ${(error as Error).stack}` }
  }
}

/** Writes the bundle under inputs/, imports it, and checks the error and that nothing changed. */
async function refused(name: string, write: (file: string) => void, says: Array<string | RegExp>): Promise<void> {
  tally.cases++
  const file = path.join(c.inputsDir, name)
  write(file)
  const before = snapshot(c)
  const data = listTree(c.dataDir).filter((l) => !l.startsWith('advlab.sqlite'))
  const outcome = await importOutcome(file)
  if (outcome.kind === 'crash') tally.crashes++
  expect(outcome.kind, JSON.stringify(outcome)).toBe('error')
  const error = (outcome as { error: ApiError }).error
  expect(error.code, error.message).toBe('bad_input')
  expect(error.message).toContain(`${file} cannot be imported`)
  expect(error.message).toContain('Nothing was imported')
  for (const text of says) typeof text === 'string' ? expect(error.message).toContain(text) : expect(error.message).toMatch(text)
  expect(await harmSince(c, before)).toEqual(NO_HARM)
  expect(listTree(c.dataDir).filter((l) => !l.startsWith('advlab.sqlite'))).toEqual(data)
  tally.cleanErrors++
}

const zipped = (files: Zippable) => (file: string) => fs.writeFileSync(file, zipSync(files))

/** An unpacked bundle folder of the files, with `extra` applied to the folder afterwards. */
const unpacked = (files: Record<string, Uint8Array>, extra: (dir: string) => void) => (dir: string) => {
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), data)
  }
  extra(dir)
}

describe('paths and links', () => {
  it('an archive entry that climbs out with ../', () =>
    refused('slip.advlab.zip', zipped({ ...good, '../evil.txt': strToU8('pwned') }), ['"../evil.txt" is refused because it climbs out']))
  it('an archive entry with an absolute path', () =>
    refused('absolute.advlab.zip', zipped({ ...good, '/tmp/evil.txt': strToU8('pwned') }), [
      '"/tmp/evil.txt" is refused because it is an absolute path'
    ]))
  it('an archive entry with a backslash path', () =>
    refused('backslash.advlab.zip', zipped({ ...good, '..\\evil.txt': strToU8('pwned') }), ['contains a backslash']))
  it('a manifest placing an artifact at ../../evil.txt', () =>
    refused('placed-outside.advlab.zip', zipped(damaged((_f, m) => (m.runs[0].files.artifacts[0].dataPath = '../../evil.txt'))), [
      'would be placed at "../../evil.txt", which is refused because it climbs out'
    ]))
  it('a symbolic link inside the zip', () => {
    const link: Zippable = { ...good, 'runs/link': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }
    return refused('symlink.advlab.zip', zipped(link), ['"runs/link" is a symbolic link'])
  })
  it('a symbolic link inside an unpacked bundle folder', () =>
    refused(
      'symlink-folder',
      unpacked(good, (dir) => fs.symlinkSync('/etc/passwd', path.join(dir, 'runs', 'passwd'))),
      ['"runs/passwd" is a symbolic link']
    ))
  it('a link to a run that is neither in the bundle nor in this log', () =>
    refused(
      'dangling-link.advlab.zip',
      zipped(
        damaged((files, m) => {
          const attack = m.runs[1]
          attack.links = { 99: '99999999-dead-beef-0000-000000000000' }
          editJson(files, `${attack.uid}/config.json`, (cfg) => ({ ...cfg, runId: 99, targetRunIds: [99] }))
        })
      ),
      ['the config of run "attack" names run 99', 'neither in this bundle nor in this log']
    ))
  it('an id in a config the bundle does not link to a run', () =>
    refused(
      'unlinked-id.advlab.zip',
      zipped(damaged((files, m) => editJson(files, `${m.runs[1].uid}/config.json`, (cfg) => ({ ...cfg, surrogateRunId: 7 })))),
      ['names run 7, and the bundle does not say which run that is']
    ))
})

describe('truncation and tampering', () => {
  it('a truncated zip', () =>
    refused('truncated.advlab.zip', (f) => fs.writeFileSync(f, Buffer.from(zipSync(good)).subarray(0, 2000)), [
      'not a complete zip archive',
      'truncated or damaged'
    ]))
  it('an artifact whose bytes do not match its checksum', () =>
    refused(
      'tampered-bytes.advlab.zip',
      zipped(damaged((files) => (files[nameEnding(files, 'weights.bin')] = crypto.randomBytes(3000)), true)),
      [/weights\.bin" does not match its checksum/]
    ))
  it('a manifest recording the wrong artifact size', () =>
    refused('tampered-size.advlab.zip', zipped(damaged((_f, m) => (m.runs[0].files.artifacts[0].bytes += 1))), [
      'records 3001 bytes, but the file holds 3000'
    ]))
  it('a manifest recording an artifact checksum other than its file list', () =>
    refused('tampered-hash.advlab.zip', zipped(damaged((_f, m) => (m.runs[0].files.artifacts[0].sha256 = '0'.repeat(64)))), [
      'records a SHA-256 that differs'
    ]))
  it('a zip directory that understates an entry (more bytes come out than it declared)', () => {
    const zip = Buffer.from(zipSync(good, { level: 0 }))
    const name = Buffer.from(nameEnding(good, 'weights.bin'))
    // In the central directory entry of weights.bin, halve the uncompressed size (offset 24).
    for (let o = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); o >= 0; o = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), o + 4))
      if (zip.subarray(o + 46, o + 46 + name.length).equals(name)) zip.writeUInt32LE(1500, o + 24)
    return refused('understated.advlab.zip', (f) => fs.writeFileSync(f, zip), [
      /weights\.bin" unpacks to more than the 1500 bytes it declares/
    ])
  })
  it('a file listed in the manifest that is missing', () =>
    refused('missing.advlab.zip', zipped(damaged((files) => delete files[nameEnding(files, 'weights.bin')], true)), [
      /weights\.bin" listed in its manifest is missing/
    ]))
  it('a file the manifest does not list', () =>
    refused('unlisted.advlab.zip', zipped({ ...good, 'runs/extra.txt': strToU8('hello') }), [
      'holds "runs/extra.txt", which its manifest does not list'
    ]))
})

describe('schema violations', () => {
  const config = (label: string, edit: (cfg: any) => unknown, says: Array<string | RegExp>) =>
    refused(`${label}.advlab.zip`, zipped(damaged((files, m) => editJson(files, `${m.runs[0].uid}/config.json`, edit))), says)
  it('config.json that is null', () => config('config-null', () => null, [/config\.json" of run "model" is null, not a train config/]))
  it('config.json that is an array', () =>
    config('config-array', () => [1, 2], [/config\.json" of run "model" is an array, not a train config/]))
  it('config.json with a field of the wrong type', () =>
    config('config-type', (cfg) => ({ ...cfg, epochs: 'ten' }), [/config\.json" \(a train config\) of run "model": field "epochs"/]))
  it('config.json with a field no train config has', () =>
    config('config-extra', (cfg) => ({ ...cfg, learningRate: 0.1 }), [/\(a train config\) of run "model"/, /learningRate/]))
  it('a run of a kind AdvLab does not know', () =>
    refused('kind.advlab.zip', zipped(damaged((_f, m) => (m.runs[0].kind = 'quantum'))), [
      'of kind "quantum", which this AdvLab does not know'
    ]))
  it('a manifest that is null', () =>
    refused('manifest-null.advlab.zip', zipped({ ...good, 'manifest.json': strToU8('null') }), [
      'its manifest.json is null, not an object'
    ]))
  it('a manifest that is an array', () =>
    refused('manifest-array.advlab.zip', zipped({ ...good, 'manifest.json': strToU8('[]') }), [
      'its manifest.json is an array, not an object'
    ]))
  it('a manifest run with a field of the wrong type', () =>
    refused('manifest-type.advlab.zip', zipped(damaged((_f, m) => (m.runs[0].seed = 'zero'))), [/manifest\.json field "runs\.0\.seed"/]))
  it('a result whose accuracy is text', () =>
    refused(
      'eval-type.advlab.zip',
      zipped(
        damaged((files, m) =>
          editJson(files, `${m.runs[0].uid}/evaluations.json`, (e: any[]) => e.map((r) => ({ ...r, accuracy: 'high' })))
        )
      ),
      [/evaluations\.json" of run "model": field "0\.accuracy"/]
    ))
  it('a result whose accuracy is infinite (1e999 in JSON)', () =>
    refused(
      'eval-infinite.advlab.zip',
      zipped(
        damaged((files, m) => {
          const name = nameEnding(files, `${m.runs[0].uid}/evaluations.json`)
          files[name] = strToU8(dec.decode(files[name]).replace(/"accuracy":[0-9.e-]+/, '"accuracy":1e999'))
        })
      ),
      [/evaluations\.json" of run "model": field "0\.accuracy"/]
    ))
  it('an event line that is not an event', () =>
    refused(
      'event.advlab.zip',
      zipped(damaged((files, m) => (files[nameEnding(files, `${m.runs[0].uid}/events.jsonl`)] = strToU8('{"level":3}\n')))),
      [/events\.jsonl" line 1 of run "model"/]
    ))
})

describe('metrics', () => {
  const metrics = (label: string, value: string) =>
    refused(
      `${label}.advlab.zip`,
      zipped(
        damaged(
          (files, m) =>
            (files[nameEnding(files, `${m.runs[0].uid}/metrics.csv`)] = strToU8(`name,step,value,time\ntrain/loss,0,${value},1700000000\n`))
        )
      ),
      [`has the metric value "${value}"; a bundle carries finite numbers only`]
    )
  it('a NaN metric', () => metrics('metric-nan', 'NaN'))
  it('an infinite metric', () => metrics('metric-inf', 'Infinity'))
  it('a negative infinite metric', () => metrics('metric-minus-inf', '-Infinity'))
})
