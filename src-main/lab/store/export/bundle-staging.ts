/**
 * Where an import's artifacts wait until the log has them. They are copied out of the bundle into
 * `<data dir>/.import-staging/<pid>-<random>/` (hashed again as they are written), the log
 * transaction commits, and only then are they renamed into `imported/<uid>/…`. A plan written
 * beside them before the commit says where each goes, so an import killed between the commit and
 * the renames is finished by the next one (the runs exist, their files are moved in); one killed
 * before the commit is simply removed. Either way no weights file is left without its run and no
 * empty `imported/<uid>/` folder is made.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { insideRoot } from './bundle-format'
import type { BundleSource } from './bundle-source'

export const STAGING_DIR = '.import-staging'

export interface StagedMove {
  /** File name inside the staging folder. */
  from: string
  /** Path inside the data directory (the artifact row's path). */
  to: string
  /** The run the file belongs to: it is moved in only when that run is in the log. */
  uid: string
}

export interface Staging {
  dir: string
  moves: StagedMove[]
}

const alive = (pid: number): boolean => {
  if (pid === process.pid) return false // imports run one at a time in a process: ours is stale
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Finishes or removes what imports that died left in the staging folder. */
export function cleanStaleStaging(db: Database.Database, dataDir: string): void {
  const root = path.join(dataDir, STAGING_DIR)
  if (!fs.existsSync(root)) return
  const hasRun = db.prepare('SELECT 1 FROM runs WHERE uid = ?')
  for (const name of fs.readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1])
    if (Number.isInteger(pid) && alive(pid)) continue // another process's import, under way
    const dir = path.join(root, name)
    try {
      const moves = JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8')) as StagedMove[]
      for (const m of moves) if (hasRun.get(m.uid)) placeFile(path.join(dir, m.from), insideRoot(dataDir, m.to))
    } catch {
      // No plan (the import died before its commit) or an unreadable one: nothing to finish.
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The staging root goes when empty; another process may be creating a folder in it just now. */
function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir)
  } catch {
    // Not empty, or already gone.
  }
}

function placeFile(from: string, to: string): void {
  if (!fs.existsSync(from)) return
  fs.mkdirSync(path.dirname(to), { recursive: true })
  fs.renameSync(from, to)
}

/**
 * Copies each artifact out of the bundle into a new staging folder, checking its SHA-256 and size
 * again as it is written (the bundle may have changed since it was checked).
 */
export function stageFiles(
  dataDir: string,
  src: BundleSource,
  files: Array<{ entry: string; to: string; uid: string; sha256: string; bytes: number }>,
  refuse: (why: string) => never
): Staging {
  const dir = path.join(dataDir, STAGING_DIR, `${process.pid}-${crypto.randomBytes(6).toString('hex')}`)
  fs.mkdirSync(dir, { recursive: true })
  const staging: Staging = { dir, moves: [] }
  try {
    files.forEach((f, i) => {
      const from = `${i}.part`
      const fd = fs.openSync(path.join(dir, from), 'w')
      const sum = crypto.createHash('sha256')
      let bytes = 0
      try {
        src.stream(f.entry, (c) => {
          sum.update(c)
          fs.writeSync(fd, c)
          bytes += c.byteLength
        })
      } finally {
        fs.closeSync(fd)
      }
      if (bytes !== f.bytes || sum.digest('hex') !== f.sha256)
        refuse(`the file "${f.entry}" changed while it was being imported (its checksum or size no longer match)`)
      staging.moves.push({ from, to: f.to, uid: f.uid })
    })
    fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(staging.moves))
  } catch (error) {
    dropStaging(staging)
    throw error
  }
  return staging
}

/** After the commit: every staged file into its place, then this import's staging folder goes. */
export function placeStaged(dataDir: string, staging: Staging): void {
  for (const m of staging.moves) placeFile(path.join(staging.dir, m.from), insideRoot(dataDir, m.to))
  fs.rmSync(staging.dir, { recursive: true, force: true })
}

/** An import that failed leaves the data directory as it found it: the staging root goes too when empty. */
export function dropStaging(staging: Staging): void {
  fs.rmSync(staging.dir, { recursive: true, force: true })
  removeIfEmpty(path.dirname(staging.dir))
}
