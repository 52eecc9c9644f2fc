/**
 * The corpus harness: a real lab service on a temporary data directory, with the checks every
 * malformed-input case ends with — the service still answers, the log is intact, no committed row
 * appeared or vanished, and nothing was written outside the data directory.
 *
 * Layout of one corpus lab (all under one temporary parent, so "outside the data directory" is a
 * folder we can list):
 *   <parent>/data     the lab's data directory (anything may change here)
 *   <parent>/inputs   where a test writes its malformed files before taking a snapshot
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { createApiClient, type ApiClient } from '../../src-main/api/client'
import { LabService, type LabOptions } from '../../src-main/lab/service'
import { inProcessTransport } from '../../src-main/lab/in-process-transport'

export interface CorpusLab {
  lab: LabService
  api: ApiClient
  db: Database.Database
  /** The temporary folder holding data/ and inputs/; its listing outside data/ must not change. */
  parent: string
  dataDir: string
  inputsDir: string
  /** Writes a file under inputs/ and returns its absolute path. */
  input: (relative: string, bytes: Buffer | string) => string
  close: () => Promise<void>
}

export function openCorpusLab(label: string, options: Partial<LabOptions> = {}): CorpusLab {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), `advlab-corpus-${label}-`))
  const dataDir = path.join(parent, 'data')
  const inputsDir = path.join(parent, 'inputs')
  fs.mkdirSync(inputsDir, { recursive: true })
  const lab = new LabService({ ...options, dataDir })
  return {
    lab,
    api: createApiClient(inProcessTransport(lab)),
    db: lab.ctx.db,
    parent,
    dataDir,
    inputsDir,
    input: (relative, bytes) => {
      const file = path.join(inputsDir, relative)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, bytes)
      return file
    },
    close: async () => {
      await lab.close()
      fs.rmSync(parent, { recursive: true, force: true })
    }
  }
}

/** Row count of every table in the log (SQLite's own tables excluded). */
export function tableCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    counts[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n
  }
  return counts
}

/** `PRAGMA integrity_check` joined into one string: "ok" when the log is sound. */
export function integrityCheck(db: Database.Database): string {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>
  return rows.map((r) => r.integrity_check).join('; ')
}

/**
 * Every entry under `root` except those under `exclude`, as "relative-path kind size" lines.
 * Symlinks are listed, not followed (a corpus case may plant a loop). Modification times are left
 * out on purpose: reading a file must not count as writing it.
 */
export function listTree(root: string, exclude: string[] = []): string[] {
  const skip = new Set(exclude.map((p) => path.resolve(p)))
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (skip.has(full)) continue
      const rel = path.relative(root, full)
      if (entry.isSymbolicLink()) out.push(`${rel} link ${fs.readlinkSync(full)}`)
      else if (entry.isDirectory()) {
        out.push(`${rel} dir`)
        walk(full)
      } else out.push(`${rel} file ${fs.statSync(full).size}`)
    }
  }
  walk(root)
  return out.sort()
}

export interface Snapshot {
  counts: Record<string, number>
  /** The parent folder's listing, the data directory excluded. */
  outside: string[]
}

export function snapshot(c: CorpusLab): Snapshot {
  return { counts: tableCounts(c.db), outside: listTree(c.parent, [c.dataDir]) }
}

export interface Harm {
  /** Null when `status.get` answered; otherwise what went wrong. */
  statusError: string | null
  integrity: string
  /** Tables whose row count changed and were not allowed to: "table: before → after". */
  countChanges: string[]
  /** Entries that appeared, vanished or changed size outside the data directory. */
  outsideChanges: string[]
}

/**
 * What a case did to the lab since `before`. `allow` names tables that may change (e.g. `events`,
 * where an internal error is logged, or `datasets` for a case expected to register).
 */
export async function harmSince(c: CorpusLab, before: Snapshot, allow: string[] = []): Promise<Harm> {
  let statusError: string | null = null
  try {
    const response = await c.lab.handle('status.get', {})
    if (!response.ok) statusError = `${response.error.code}: ${response.error.message}`
  } catch (error) {
    statusError = `threw: ${(error as Error).message}`
  }
  const after = snapshot(c)
  const countChanges: string[] = []
  for (const table of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
    if (allow.includes(table)) continue
    if (before.counts[table] !== after.counts[table]) countChanges.push(`${table}: ${before.counts[table]} → ${after.counts[table]}`)
  }
  const was = new Set(before.outside)
  const now = new Set(after.outside)
  const outsideChanges = [
    ...after.outside.filter((line) => !was.has(line)).map((line) => `+ ${line}`),
    ...before.outside.filter((line) => !now.has(line)).map((line) => `- ${line}`)
  ]
  return { statusError, integrity: integrityCheck(c.db), countChanges, outsideChanges }
}

/** The harm a clean case leaves: none. Compare with `expect(await harmSince(...)).toEqual(NO_HARM)`. */
export const NO_HARM: Harm = { statusError: null, integrity: 'ok', countChanges: [], outsideChanges: [] }
