/**
 * A log on a network file system is opened with a rollback journal (SQLite's WAL does not work
 * there): which file system a folder is on comes from /proc/mounts, the longest mount point
 * containing it.
 */
import { describe, expect, it } from 'vitest'
import { mountOf, networkFileSystem, parseMounts } from '../../../src-main/lab/store/network-fs'

const mounts = parseMounts(
  [
    '/dev/sda1 / ext4 rw,relatime 0 0',
    'server:/export/home /home nfs4 rw,vers=4.2 0 0',
    '/dev/sdb1 /home/alice/local\\040disk ext4 rw 0 0',
    '//nas/share /mnt/nas cifs rw 0 0',
    'lustre@tcp:/scratch /scratch lustre rw 0 0',
    'alice@host:/data /mnt/sshfs fuse.sshfs rw 0 0',
    'tmpfs /tmp tmpfs rw 0 0'
  ].join('\n')
)

describe('which file system a folder is on', () => {
  it('reads mount points with their octal escapes (a space is \\040)', () => {
    expect(mounts.map((m) => m.mountPoint)).toContain('/home/alice/local disk')
  })

  it('names the network file system of a folder under an NFS, SMB, Lustre or sshfs mount', () => {
    expect(networkFileSystem('/home/alice/.advlab', mounts)).toBe('nfs4')
    expect(networkFileSystem('/mnt/nas/lab', mounts)).toBe('cifs')
    expect(networkFileSystem('/scratch/u/sweep/merged', mounts)).toBe('lustre')
    expect(networkFileSystem('/mnt/sshfs/x', mounts)).toBe('fuse.sshfs')
  })

  it('takes the longest mount point: a local disk mounted inside an NFS home is local', () => {
    expect(mountOf('/home/alice/local disk/advlab', mounts)?.type).toBe('ext4')
    expect(networkFileSystem('/home/alice/local disk/advlab', mounts)).toBeNull()
  })

  it('does not take a sibling that merely shares a prefix for the mount (/homework is not /home)', () => {
    expect(networkFileSystem('/homework/advlab', mounts)).toBeNull()
  })

  it('local disks and tmpfs are not network file systems', () => {
    expect(networkFileSystem('/var/lib/advlab', mounts)).toBeNull()
    expect(networkFileSystem('/tmp/advlab', mounts)).toBeNull()
  })
})
