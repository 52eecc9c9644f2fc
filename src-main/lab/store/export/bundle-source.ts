/**
 * Reading a bundle entry by entry, zip or unpacked folder, without holding the archive in memory:
 * the zip's central directory is read from the end of the file (names, declared sizes, where each
 * entry starts), then one entry at a time is read in chunks and inflated as it streams. Unsafe
 * entries (paths that climb out, symbolic links, encrypted or unknown compression, a declared total
 * past MAX_UNPACKED_BYTES) are refused from the directory, before anything is inflated.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Inflate } from 'fflate'
import { MAX_UNPACKED_BYTES, unsafeArchivePath } from './bundle-format'

/** Why a bundle cannot be read; the importer turns it into the user's error naming the bundle. */
export class BundleUnreadable extends Error {}

export interface BundleSource {
  /** Every file's path inside the bundle (forward slashes) and its size as the archive states it. */
  readonly entries: ReadonlyMap<string, number>
  /**
   * Streams one file's bytes to `sink` in chunks of at most CHUNK bytes; returns the byte count.
   * A chunk is valid only during the call (its buffer is reused): copy what must be kept.
   */
  stream(name: string, sink: (chunk: Uint8Array) => void): number
  close(): void
}

const CHUNK = 1 << 20
const gib = MAX_UNPACKED_BYTES / 2 ** 30

export function openBundleSource(source: string): BundleSource {
  return fs.statSync(source).isDirectory() ? folderSource(source) : zipSource(source)
}

/** A copy of a chunk (Buffer's own slice() is a view, not a copy). */
export const copyOf = (chunk: Uint8Array): Uint8Array => new Uint8Array(chunk)

/** A whole (small) file of the bundle in memory: the manifest, configs, metrics, results. */
export function readWhole(src: BundleSource, name: string): Uint8Array {
  const parts: Uint8Array[] = []
  const total = src.stream(name, (c) => parts.push(copyOf(c)))
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) (out.set(p, at), (at += p.byteLength))
  return out
}

function folderSource(root: string): BundleSource {
  const entries = new Map<string, number>()
  let declared = 0
  const walk = (dir: string, prefix: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name
      if (e.isSymbolicLink()) throw new BundleUnreadable(`"${rel}" is a symbolic link, which a bundle never contains`)
      if (e.isDirectory()) walk(path.join(dir, e.name), rel)
      else if (e.isFile()) {
        const why = unsafeArchivePath(rel)
        if (why) throw new BundleUnreadable(`the file "${rel}" is refused because ${why}`)
        const size = fs.statSync(path.join(dir, e.name)).size
        declared += size
        if (declared > MAX_UNPACKED_BYTES) throw new BundleUnreadable(`it holds more than ${gib} GiB`)
        entries.set(rel, size)
      }
    }
  }
  walk(root, '')
  return {
    entries,
    stream(name, sink) {
      const fd = fs.openSync(path.join(root, ...name.split('/')), 'r')
      try {
        return readChunks(fd, 0, Infinity, sink)
      } finally {
        fs.closeSync(fd)
      }
    },
    close() {}
  }
}

/** One read buffer for every stream: reading is synchronous and each chunk is used before the next. */
let readBuffer: Buffer | null = null

/** Reads from `fd` at `start` until `length` bytes or the end of the file, in chunks. */
function readChunks(fd: number, start: number, length: number, sink: (chunk: Uint8Array) => void): number {
  const buf = (readBuffer ??= Buffer.allocUnsafe(CHUNK))
  let done = 0
  while (done < length) {
    const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, length - done), start + done)
    if (n === 0) break
    sink(buf.subarray(0, n))
    done += n
  }
  return done
}

interface ZipEntry {
  method: number
  compressedSize: number
  size: number
  headerOffset: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const S_IFMT = 0o170000
const S_IFLNK = 0o120000

function zipSource(file: string): BundleSource {
  const fd = fs.openSync(file, 'r')
  try {
    const entries = readCentralDirectory(fd, fs.fstatSync(fd).size)
    return {
      entries: new Map([...entries].map(([name, e]) => [name, e.size])),
      stream: (name, sink) => streamEntry(fd, name, entries.get(name), sink),
      close: () => fs.closeSync(fd)
    }
  } catch (error) {
    fs.closeSync(fd)
    throw error
  }
}

function readCentralDirectory(fd: number, fileSize: number): Map<string, ZipEntry> {
  const incomplete = (why: string): BundleUnreadable =>
    new BundleUnreadable(`it is not a complete zip archive (${why}); it may be truncated or damaged — copy it again`)
  // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
  const tailLength = Math.min(fileSize, 22 + 0xffff)
  const tail = Buffer.alloc(tailLength)
  fs.readSync(fd, tail, 0, tailLength, fileSize - tailLength)
  let end = -1
  for (let i = tailLength - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) ((end = i), (i = -1))
  if (end < 0) throw incomplete('no end of central directory')
  const count = tail.readUInt16LE(end + 10)
  const dirSize = tail.readUInt32LE(end + 12)
  const dirOffset = tail.readUInt32LE(end + 16)
  if (count === 0xffff || dirOffset === 0xffffffff) throw new BundleUnreadable('it is a ZIP64 archive, larger than any AdvLab bundle')
  if (dirOffset + dirSize > fileSize - tailLength + end) throw incomplete('its central directory lies past the end of the file')
  const dir = Buffer.alloc(dirSize)
  fs.readSync(fd, dir, 0, dirSize, dirOffset)
  const entries = new Map<string, ZipEntry>()
  let declared = 0
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + 46 > dirSize || dir.readUInt32LE(at) !== CENTRAL) throw incomplete(`central directory entry ${i + 1} is damaged`)
    const flags = dir.readUInt16LE(at + 8)
    const method = dir.readUInt16LE(at + 10)
    const compressedSize = dir.readUInt32LE(at + 20)
    const size = dir.readUInt32LE(at + 24)
    const nameLength = dir.readUInt16LE(at + 28)
    const skip = nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32)
    const madeBy = dir.readUInt8(at + 5) // 3: Unix, whose upper attribute bits are the file mode
    const mode = dir.readUInt32LE(at + 38) >>> 16
    const headerOffset = dir.readUInt32LE(at + 42)
    const name = dir.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    at += 46 + skip
    if (name.endsWith('/')) continue
    const why = unsafeArchivePath(name)
    if (why) throw new BundleUnreadable(`the archive entry "${name}" is refused because ${why}`)
    if (madeBy === 3 && (mode & S_IFMT) === S_IFLNK)
      throw new BundleUnreadable(`the archive entry "${name}" is a symbolic link, which a bundle never contains`)
    if (flags & 1) throw new BundleUnreadable(`the archive entry "${name}" is encrypted`)
    if (method !== 0 && method !== 8)
      throw new BundleUnreadable(`the archive entry "${name}" uses compression method ${method} (AdvLab writes stored or deflated entries)`)
    if (entries.has(name)) throw new BundleUnreadable(`the archive holds "${name}" twice`)
    // Sizes are checked before inflating, so a zip bomb is refused instead of filling the disk.
    declared += size
    if (declared > MAX_UNPACKED_BYTES) throw new BundleUnreadable(`it would unpack to more than ${gib} GiB`)
    if (headerOffset + 30 + compressedSize > dirOffset) throw incomplete(`the entry "${name}" runs past its data`)
    entries.set(name, { method, compressedSize, size, headerOffset })
  }
  return entries
}

function streamEntry(fd: number, name: string, e: ZipEntry | undefined, sink: (chunk: Uint8Array) => void): number {
  if (!e) throw new BundleUnreadable(`it has no file "${name}"`)
  const local = Buffer.alloc(30)
  fs.readSync(fd, local, 0, 30, e.headerOffset)
  if (local.readUInt32LE(0) !== LOCAL)
    throw new BundleUnreadable(`the entry "${name}" is damaged (no local header where the directory says it starts)`)
  const start = e.headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
  let produced = 0
  const emit = (chunk: Uint8Array): void => {
    produced += chunk.byteLength
    // A lying directory cannot smuggle more bytes than it declared (and was counted for).
    if (produced > e.size) throw new BundleUnreadable(`the entry "${name}" unpacks to more than the ${e.size} bytes it declares`)
    if (chunk.byteLength) sink(chunk)
  }
  if (e.method === 0) readChunks(fd, start, e.compressedSize, emit)
  else {
    const inflate = new Inflate((chunk) => emit(chunk))
    let read = 0
    readChunks(fd, start, e.compressedSize, (c) => {
      read += c.byteLength
      try {
        // A copy: the read buffer is reused for the next chunk, and Inflate may keep its input.
        inflate.push(copyOf(c), read === e.compressedSize)
      } catch (error) {
        if (error instanceof BundleUnreadable) throw error
        throw new BundleUnreadable(`the entry "${name}" cannot be inflated (${(error as Error).message}); the bundle is damaged`)
      }
    })
    if (read !== e.compressedSize) throw new BundleUnreadable(`the entry "${name}" is cut short; the bundle is truncated`)
    if (e.compressedSize === 0) inflate.push(new Uint8Array(0), true)
  }
  if (produced !== e.size)
    throw new BundleUnreadable(`the entry "${name}" unpacks to ${produced} bytes, not the ${e.size} it declares; the bundle is damaged`)
  return produced
}
