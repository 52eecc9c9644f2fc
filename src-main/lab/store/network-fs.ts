/**
 * Whether a folder sits on a network file system. SQLite's WAL needs shared memory that NFS, SMB
 * and the cluster file systems do not give across machines (https://sqlite.org/wal.html), so a log
 * there is opened with a rollback journal instead (store/open.ts), and `lab sweep merge` says so.
 * Read from /proc/mounts (Linux); elsewhere nothing is known and WAL is kept.
 */
import fs from 'node:fs'
import path from 'node:path'

/** File system types (as /proc/mounts names them) that are shared over a network. */
export const NETWORK_FS_TYPES: ReadonlySet<string> = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'lustre',
  'gpfs',
  'beegfs',
  'ceph',
  'glusterfs',
  'ocfs2',
  'gfs2',
  'afs',
  '9p',
  'fuse.sshfs',
  'fuse.ceph',
  'fuse.glusterfs',
  'fuse.beegfs',
  'fuse.s3fs',
  'fuse.rclone',
  'fuse.gcsfuse'
])

export interface Mount {
  mountPoint: string
  type: string
}

/** /proc/mounts as mount points and types (spaces and tabs in paths are octal escapes there). */
export function parseMounts(text: string): Mount[] {
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 3)
    .map((f) => ({ mountPoint: unescape(f[1]), type: f[2] }))
}

function readMounts(): Mount[] {
  try {
    return parseMounts(fs.readFileSync('/proc/mounts', 'utf8'))
  } catch {
    return []
  }
}

/** The mount a folder is on: the longest mount point containing it (the folder may not exist yet). */
export function mountOf(dir: string, mounts: readonly Mount[] = readMounts()): Mount | null {
  // Symbolic links resolved on the part that exists; the rest (a log not yet made) kept as given.
  const wanted = path.resolve(dir)
  let existing = wanted
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing)
  let real = wanted
  try {
    real = path.join(fs.realpathSync(existing), path.relative(existing, wanted))
  } catch {
    // Keep the resolved path.
  }
  let best: Mount | null = null
  for (const m of mounts) {
    const inside =
      m.mountPoint === '/' || real === m.mountPoint || real.startsWith(m.mountPoint.endsWith('/') ? m.mountPoint : `${m.mountPoint}/`)
    if (inside && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m
  }
  return best
}

/** The network file system type the folder is on, or null when it is local (or unknown). */
export function networkFileSystem(dir: string, mounts?: readonly Mount[]): string | null {
  const m = mountOf(dir, mounts)
  return m && NETWORK_FS_TYPES.has(m.type) ? m.type : null
}
