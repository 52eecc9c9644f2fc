/** Organising runs: tags, notes, stars, names, archive, and a trash that only emptying makes final. */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import {
  emptyTrash,
  listTrash,
  renameRun,
  restoreFromTrash,
  runMarks,
  setArchived,
  setNote,
  setStarred,
  tagRuns,
  trashRuns,
  untagRuns
} from '../../../src-main/lab/store/organise'
import { getRun } from '../../../src-main/lab/store/runs'
import { addRun, freshLog, type Lab } from './fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

function addArtifact(lab: Lab, runId: number, rel: string, bytes: number): string {
  const full = path.join(lab.dir, rel)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, Buffer.alloc(bytes, 7))
  lab.db
    .prepare("INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'checkpoint', ?, 'x', ?, 'now')")
    .run(runId, rel, bytes)
  return full
}

describe('marks', () => {
  it('tags case-insensitively without duplicates, and untags', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a' })
    tagRuns(lab.db, [a], ['paper', ' Paper ', 'fig-2'])
    expect(runMarks(lab.db, a).tags).toEqual(['fig-2', 'paper'])
    untagRuns(lab.db, [a], ['PAPER'])
    expect(runMarks(lab.db, a).tags).toEqual(['fig-2'])
    expect(() => tagRuns(lab.db, [a], ['  '])).toThrow(/1–64 characters/)
  })

  it('stores a note, a star, a new name and the archived flag', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a' })
    setNote(lab.db, a, 'FGSM acc jumped: masking?')
    setStarred(lab.db, a, true)
    renameRun(lab.db, a, '  Baseline  ')
    setArchived(lab.db, [a], true)
    expect(runMarks(lab.db, a)).toEqual({ tags: [], note: 'FGSM acc jumped: masking?', starred: true, archived: true, deletedAt: null })
    expect(getRun(lab.db, a).name).toBe('Baseline')
    expect(() => renameRun(lab.db, a, ' ')).toThrow(/1–200/)
    expect(() => setNote(lab.db, 77, 'x')).toThrow(/no run with id 77/)
  })
})

describe('trash', () => {
  it('keeps a deleted run and its files until the trash is emptied, and can restore it', () => {
    lab = freshLog()
    const a = addRun(lab.db, { name: 'a', metrics: { loss: [1, 2] } })
    const b = addRun(lab.db, { name: 'b' })
    const fileA = addArtifact(lab, a, 'runs/a/ckpt.bin', 100)
    const fileB = addArtifact(lab, b, 'runs/b/ckpt.bin', 50)
    trashRuns(lab.db, [a, b])
    expect(
      listTrash(lab.db)
        .map((t) => [t.id, t.artifactBytes])
        .sort()
    ).toEqual(
      [
        [a, 100],
        [b, 50]
      ].sort()
    )
    expect(fs.existsSync(fileA)).toBe(true)
    restoreFromTrash(lab.db, [b])
    expect(runMarks(lab.db, b).deletedAt).toBeNull()
    const result = emptyTrash(lab.db, lab.dir)
    expect(result).toEqual({ ids: [a], freedBytes: 100 })
    expect(fs.existsSync(fileA)).toBe(false)
    expect(fs.existsSync(fileB)).toBe(true)
    expect(lab.db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(a)).toEqual({ n: 0 })
    expect(() => getRun(lab.db, a)).toThrow(/no run/)
  })

  it('keeps a file that a run outside the trash still uses (a wrapped run shares its source weights)', () => {
    lab = freshLog()
    const source = addRun(lab.db, { name: 'source' })
    const wrapped = addRun(lab.db, { name: 'wrapped' })
    const file = addArtifact(lab, source, 'runs/1/weights.safetensors', 64)
    lab.db
      .prepare(
        "INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'weights', 'runs/1/weights.safetensors', 'x', 64, 'now')"
      )
      .run(wrapped)
    trashRuns(lab.db, [source])
    expect(emptyTrash(lab.db, lab.dir)).toEqual({ ids: [source], freedBytes: 0 })
    expect(fs.existsSync(file)).toBe(true)
    trashRuns(lab.db, [wrapped])
    expect(emptyTrash(lab.db, lab.dir).freedBytes).toBe(64)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('refuses to trash a running run and never deletes a file outside the data directory', () => {
    lab = freshLog()
    const running = addRun(lab.db, { name: 'r', status: 'running' })
    expect(() => trashRuns(lab.db, [running])).toThrow(/running; cancel it/)
    const a = addRun(lab.db, { name: 'a' })
    const outside = path.join(path.dirname(lab.dir), `outside-${path.basename(lab.dir)}.bin`)
    fs.writeFileSync(outside, 'keep me')
    lab.db
      .prepare("INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'x', ?, 'x', 7, 'now')")
      .run(a, path.relative(lab.dir, outside))
    trashRuns(lab.db, [a])
    emptyTrash(lab.db, lab.dir)
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me')
    fs.rmSync(outside)
  })
})
