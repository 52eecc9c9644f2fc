/**
 * Reading a file front to back in exact-sized pieces, whether it is stored plain or gzip-compressed.
 * Compression is recognised by the gzip magic bytes (1f 8b), not by the file name, so a `.gz` name
 * on a plain file (or the reverse) still reads correctly. Large files are streamed, never held whole.
 */
import fs from 'node:fs'
import zlib from 'node:zlib'
import { pipeline } from 'node:stream'
import { badFile, fileSystemError, count } from './errors'

const CHUNK_BYTES = 1 << 20

export async function isGzipFile(file: string): Promise<boolean> {
  let handle: fs.promises.FileHandle | undefined
  try {
    handle = await fs.promises.open(file, 'r')
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } catch (error) {
    throw fileSystemError(error, file)
  } finally {
    await handle?.close()
  }
}

/** Hands out exactly the number of bytes asked for, or throws a "truncated" error naming the file. */
export class ExactReader {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private done = false
  /** Bytes handed out so far (of the decompressed content). */
  position = 0

  private constructor(
    readonly file: string,
    readonly gzip: boolean,
    private iterator: AsyncIterator<Buffer>,
    private stop: () => void
  ) {}

  static async open(file: string): Promise<ExactReader> {
    const gzip = await isGzipFile(file)
    const raw = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })
    if (!gzip) return new ExactReader(file, false, raw[Symbol.asyncIterator](), () => raw.destroy())
    const gunzip = zlib.createGunzip({ chunkSize: CHUNK_BYTES })
    // pipeline carries a read error of the file into the gunzip stream we iterate.
    const stream = pipeline(raw, gunzip, () => {})
    return new ExactReader(file, true, stream[Symbol.asyncIterator](), () => stream.destroy())
  }

  /** Exactly `n` bytes; `what` names them in the error if the file ends first. */
  async take(n: number, what: string): Promise<Buffer> {
    if (n === 0) return Buffer.alloc(0)
    while (this.pendingBytes < n && !this.done) await this.pull()
    if (this.pendingBytes < n) {
      const got = this.position + this.pendingBytes
      throw badFile(
        this.file,
        `the file ends after ${count(got)} bytes${this.gzip ? ' (uncompressed)' : ''}, in the middle of ${what} (truncated)`,
        'Copy or download the file again.'
      )
    }
    let out: Buffer
    if (this.pending[0].length >= n) {
      out = this.pending[0].subarray(0, n)
      this.pending[0] = this.pending[0].subarray(n)
      if (this.pending[0].length === 0) this.pending.shift()
    } else {
      out = Buffer.allocUnsafe(n)
      let filled = 0
      while (filled < n) {
        const head = this.pending[0]
        const used = Math.min(head.length, n - filled)
        head.copy(out, filled, 0, used)
        filled += used
        if (used === head.length) this.pending.shift()
        else this.pending[0] = head.subarray(used)
      }
    }
    this.pendingBytes -= n
    this.position += n
    return out
  }

  /** Skips `n` bytes without copying them. */
  async skip(n: number, what: string): Promise<void> {
    let left = n
    while (left > 0) {
      const step = Math.min(left, CHUNK_BYTES)
      await this.take(step, what)
      left -= step
    }
  }

  /** True when nothing is left; used to reject files longer than their header says. */
  async atEnd(): Promise<boolean> {
    while (this.pendingBytes === 0 && !this.done) await this.pull()
    return this.pendingBytes === 0
  }

  close(): void {
    this.stop()
  }

  private async pull(): Promise<void> {
    let next: IteratorResult<Buffer>
    try {
      next = await this.iterator.next()
    } catch (error) {
      this.done = true
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (code.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE') {
        const reason = (error as Error).message
        throw badFile(this.file, `the gzip data is damaged (${reason})`, 'Copy or download the file again.')
      }
      throw fileSystemError(error, this.file)
    }
    if (next.done) {
      this.done = true
      return
    }
    if (next.value.length > 0) {
      this.pending.push(next.value)
      this.pendingBytes += next.value.length
    }
  }
}

/** Opens a reader, runs `work`, and always closes the reader. */
export async function withReader<T>(file: string, work: (reader: ExactReader) => Promise<T>): Promise<T> {
  const reader = await ExactReader.open(file)
  try {
    return await work(reader)
  } finally {
    reader.close()
  }
}
