/**
 * Run bundles: export → import into a fresh data directory gives the same comparison table;
 * importing twice never duplicates; damaged or malicious bundles are rejected whole.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { zipSync, strToU8, unzipSync } from 'fflate'
import { exportBundle } from '../../../src-main/lab/store/export/bundle-export'
import { importBundle } from '../../../src-main/lab/store/export/bundle-import'
import { BUNDLE_SCHEMA_VERSION } from '../../../src-main/lab/store/export/bundle-format'
import { compareRuns } from '../../../src-main/lab/store/compare'
import { formatResultsTable } from '../../../src-main/lab/store/export/table'
import { buildResultsTable } from '../../../src-main/lab/store/results-table'
import { tagRuns, setNote } from '../../../src-main/lab/store/organise'
import { readMetricSeries } from '../../../src-main/lab/store/metric-series'
import { createProject } from '../../../src-main/lab/store/projects'
import { configHash } from '../../../src-main/lab/store/runs'
import { addRun, freshLog, seedStudy, type Lab } from '../../unit/log/fixtures'

const labs: Lab[] = []
afterEach(() => labs.splice(0).forEach((l) => l.cleanup()))
function newLab(): Lab {
  const l = freshLog('bundle')
  labs.push(l)
  return l
}

function addArtifact(lab: Lab, runId: number, rel: string, data: Buffer, kind = 'checkpoint'): void {
  const full = path.join(lab.dir, rel)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, data)
  lab.db
    .prepare('INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(runId, kind, rel, crypto.createHash('sha256').update(data).digest('hex'), data.length, 'now')
}

function tables(lab: Lab, ids: number[]): string[] {
  const t = buildResultsTable(lab.db, { ids })
  return (['csv', 'md', 'latex'] as const).map((f) => formatResultsTable(t, f))
}

/**
 * seedStudy files its distillations with train-shaped configs; a bundle carries only configs that
 * fit their kind (import checks them), so they are given the distill shape they would have.
 */
function fitDistillConfigs(lab: Lab): void {
  for (const r of lab.db.prepare("SELECT id, config_json FROM runs WHERE kind = 'distill'").all() as Array<{
    id: number
    config_json: string
  }>) {
    const { temperature, defence, ...train } = JSON.parse(r.config_json) as Record<string, unknown>
    const config = { teacher: train, student: { ...train, ...(defence ? { defence } : {}) }, temperature }
    lab.db.prepare('UPDATE runs SET config_json = ?, config_hash = ? WHERE id = ?').run(JSON.stringify(config), configHash(config), r.id)
  }
}

const count = (lab: Lab, table: string): number => (lab.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

function unzipFile(file: string): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(fs.readFileSync(file)))
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort()
}

describe('run bundles', () => {
  it('round-trips: the imported runs give the identical comparison table, metrics, tags, notes and files', () => {
    const a = newLab()
    const { ids } = seedStudy(a.db)
    fitDistillConfigs(a)
    tagRuns(a.db, [ids[0]], ['paper'])
    setNote(a.db, ids[0], 'baseline, seed 0')
    const weights = crypto.randomBytes(4096)
    addArtifact(a, ids[0], 'runs/1/checkpoint-final.bin', weights)
    addArtifact(a, ids[0], 'runs/1/gallery/0.png', Buffer.from('\x89PNG fake image bytes'), 'gallery')
    const out = path.join(a.dir, 'study.advlab.zip')
    const written = exportBundle(a.db, a.dir, ids, out)
    expect(written.runs).toBe(12)

    const b = newLab()
    const result = importBundle(b.db, b.dir, out)
    expect(result.imported).toHaveLength(12)
    expect(result.skipped).toEqual([])
    const newIds = result.imported.map((r) => r.id)
    expect(tables(b, newIds)).toEqual(tables(a, ids))
    // Verdicts and per-sample outcomes travel too: the comparisons agree sample by sample.
    const [ca, cb] = [compareRuns(a.db, { ids }), compareRuns(b.db, { ids: newIds })]
    expect(cb.agreement).toEqual(ca.agreement)
    expect(ca.agreement.cells.map((c) => c.attack)).toEqual(['fgsm'])
    expect(cb.verdicts.perRun.map((v) => [v.verdict, v.fired])).toEqual(ca.verdicts.perRun.map((v) => [v.verdict, v.fired]))
    expect(tables(b, newIds)[1]).toMatch(/\| Gradient-mask toy \| 3 \|.*\| yes \|/)
    expect(readMetricSeries(b.db, newIds[0])).toEqual(readMetricSeries(a.db, ids[0]))
    expect(b.db.prepare('SELECT note FROM runs WHERE id = ?').get(newIds[0])).toEqual({ note: 'baseline, seed 0' })
    expect(b.db.prepare('SELECT tag FROM run_tags WHERE run_id = ?').all(newIds[0])).toEqual([{ tag: 'paper' }])
    const art = b.db.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'checkpoint'").get(newIds[0]) as { path: string }
    expect(fs.readFileSync(path.join(b.dir, art.path)).equals(weights)).toBe(true)
    expect(count(b, 'events')).toBe(count(a, 'events'))
  })

  it('files imported runs under the project of the same name and links the dataset only when its content matches', () => {
    const a = newLab()
    const project = createProject(a.db, 'Seed study')
    const insertDataset = (db: Lab['db'], name: string, hash: string) =>
      Number(
        db
          .prepare(
            "INSERT INTO datasets (name, format, source_path, content_hash, info_json, created_at) VALUES (?, 'idx', '/data', ?, '{}', 'now')"
          )
          .run(name, hash).lastInsertRowid
      )
    const ds = insertDataset(a.db, 'mnist', 'hash-of-mnist')
    const id = addRun(a.db, { name: 'in a project' })
    a.db.prepare('UPDATE runs SET project_id = ?, dataset_id = ? WHERE id = ?').run(project.id, ds, id)
    const out = path.join(a.dir, 'p.advlab.zip')
    exportBundle(a.db, a.dir, [id], out)

    const same = newLab()
    const sameDs = insertDataset(same.db, 'MNIST here', 'hash-of-mnist')
    const [imported] = importBundle(same.db, same.dir, out).imported
    expect(
      same.db
        .prepare('SELECT p.name AS project, r.dataset_id FROM runs r JOIN projects p ON p.id = r.project_id WHERE r.id = ?')
        .get(imported.id)
    ).toEqual({ project: 'Seed study', dataset_id: sameDs })

    const other = newLab()
    insertDataset(other.db, 'mnist', 'some-other-content')
    const [imported2] = importBundle(other.db, other.dir, out).imported
    expect(other.db.prepare('SELECT dataset_id FROM runs WHERE id = ?').get(imported2.id)).toEqual({ dataset_id: null })
  })

  it('imports idempotently: the same bundle twice (zip, then unpacked folder) adds nothing the second time', () => {
    const a = newLab()
    const id = addRun(a.db, { name: 'once', metrics: { loss: [3, 2, 1] }, evals: [['fgsm', 'Linf', 8 / 255, 0.3]] })
    const out = path.join(a.dir, 'one.advlab.zip')
    exportBundle(a.db, a.dir, [id], out)
    // Exporting again keeps the run's uid, so a second bundle of it is the same run.
    const again = path.join(a.dir, 'again.advlab.zip')
    exportBundle(a.db, a.dir, [id], again)
    const b = newLab()
    expect(importBundle(b.db, b.dir, out).imported).toHaveLength(1)
    const before = ['runs', 'metrics', 'eval_results', 'events'].map((t) => count(b, t))
    const second = importBundle(b.db, b.dir, again)
    expect(second.imported).toEqual([])
    expect(second.skipped.map((s) => s.name)).toEqual(['once'])
    const unpacked = path.join(b.dir, 'unpacked')
    for (const [name, data] of Object.entries(unzipFile(out))) {
      fs.mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true })
      fs.writeFileSync(path.join(unpacked, name), data)
    }
    expect(importBundle(b.db, b.dir, unpacked).skipped).toHaveLength(1)
    expect(['runs', 'metrics', 'eval_results', 'events'].map((t) => count(b, t))).toEqual(before)
    // Back into the log it came from: nothing new either.
    expect(importBundle(a.db, a.dir, out).imported).toEqual([])
  })
})

describe('streamed bundles', () => {
  it('carries files larger than one read chunk (1 MiB) intact: a 2 MiB metrics CSV and a 3 MiB weights file', () => {
    const a = newLab()
    const loss = Array.from({ length: 70_000 }, (_, i) => 1 / (i + 1))
    const id = addRun(a.db, { name: 'long', metrics: { 'train/loss': loss } })
    const weights = crypto.randomBytes(3 * 2 ** 20 + 17)
    addArtifact(a, id, 'runs/1/weights.bin', weights)
    const out = path.join(a.dir, 'long.advlab.zip')
    exportBundle(a.db, a.dir, [id], out)
    expect(unzipFile(out)[Object.keys(unzipFile(out)).find((n) => n.endsWith('metrics.csv'))!].byteLength).toBeGreaterThan(2 ** 21)
    const b = newLab()
    const [imported] = importBundle(b.db, b.dir, out).imported
    const values = (
      b.db.prepare("SELECT value FROM metrics WHERE run_id = ? AND name = 'train/loss' ORDER BY step").all(imported.id) as {
        value: number
      }[]
    ).map((r) => r.value)
    expect(values).toEqual(loss)
    const art = b.db.prepare('SELECT path FROM artifacts WHERE run_id = ?').get(imported.id) as { path: string }
    expect(fs.readFileSync(path.join(b.dir, art.path)).equals(weights)).toBe(true)
  })
})

describe('rejected bundles write nothing', () => {
  function goodBundle(): { lab: Lab; files: Record<string, Uint8Array>; manifest: Record<string, unknown> } {
    const lab = newLab()
    const id = addRun(lab.db, { name: 'src', metrics: { loss: [1, 0.5] } })
    addArtifact(lab, id, 'runs/1/w.bin', Buffer.from('weights'))
    const out = path.join(lab.dir, 'src.advlab.zip')
    exportBundle(lab.db, lab.dir, [id], out)
    const files = unzipFile(out)
    return { lab, files, manifest: JSON.parse(new TextDecoder().decode(files['manifest.json'])) }
  }

  function expectRejected(zip: Uint8Array, message: RegExp): void {
    const target = newLab()
    const file = path.join(path.dirname(target.dir), `${path.basename(target.dir)}-in.advlab.zip`)
    fs.writeFileSync(file, zip)
    const before = listFiles(target.dir)
    try {
      expect(() => importBundle(target.db, target.dir, file)).toThrow(message)
      expect(count(target, 'runs')).toBe(0)
      expect(count(target, 'metrics')).toBe(0)
      expect(listFiles(target.dir)).toEqual(before)
      expect(fs.existsSync(path.join(path.dirname(target.dir), 'evil.txt'))).toBe(false)
    } finally {
      fs.rmSync(file, { force: true })
    }
  }

  it('rejects an archive entry that climbs out with ../', () => {
    const { files } = goodBundle()
    expectRejected(
      zipSync({ ...files, '../evil.txt': strToU8('pwned') }),
      /"\.\.\/evil\.txt" is refused because it climbs out.*Nothing was imported/
    )
  })

  it('rejects a manifest that would place an artifact at ../../evil.txt', () => {
    const { files, manifest } = goodBundle()
    const runs = manifest.runs as Array<{ files: { artifacts: Array<{ dataPath: string }> } }>
    runs[0].files.artifacts[0].dataPath = '../../evil.txt'
    expectRejected(
      zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) }),
      /"\.\.\/\.\.\/evil\.txt", which is refused because it climbs out/
    )
  })

  it('rejects a bundle of a newer schema version, saying to update', () => {
    const { files, manifest } = goodBundle()
    manifest.schemaVersion = BUNDLE_SCHEMA_VERSION + 98
    expectRejected(
      zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) }),
      new RegExp(`schema version ${BUNDLE_SCHEMA_VERSION + 98}.*update AdvLab`)
    )
  })

  it('rejects a truncated zip', () => {
    const { lab } = goodBundle()
    const whole = fs.readFileSync(path.join(lab.dir, 'src.advlab.zip'))
    expectRejected(new Uint8Array(whole.subarray(0, Math.floor(whole.length * 0.6))), /not a complete zip archive.*truncated/)
  })

  it('rejects a zip bomb from its declared sizes, before inflating anything', () => {
    const { files } = goodBundle()
    const zip = Buffer.from(zipSync(files))
    // Claim ~3.75 GiB for every entry in the central directory (uncompressed size at offset 24).
    for (let o = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); o >= 0; o = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), o + 4))
      zip.writeUInt32LE(0xf0000000, o + 24)
    expectRejected(new Uint8Array(zip), /would unpack to more than 4 GiB/)
  })

  it('rejects a file whose bytes do not match the manifest checksum', () => {
    const { files } = goodBundle()
    const name = Object.keys(files).find((n) => n.endsWith('w.bin'))!
    expectRejected(zipSync({ ...files, [name]: strToU8('tampered') }), /does not match its checksum/)
  })

  it('rejects a bundle whose metrics CSV is malformed, after nothing was written', () => {
    const { files } = goodBundle()
    const name = Object.keys(files).find((n) => n.endsWith('metrics.csv'))!
    const bad = strToU8('name,step,value,time\nloss,notastep,1,2\n')
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']))
    manifest.files[name] = crypto.createHash('sha256').update(bad).digest('hex')
    expectRejected(
      zipSync({ ...files, [name]: bad, 'manifest.json': strToU8(JSON.stringify(manifest)) }),
      /metrics\.csv" line 2 is not "name,step,value,time"/
    )
  })
})
